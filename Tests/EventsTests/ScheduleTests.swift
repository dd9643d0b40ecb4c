import Database
import Events
import Foundation
import Logging
import PostgresNIO
import SchemaModel
import SQL
import Testing
import TestSupport

/// Schedules: slots from an interval or a cron expression; each slot run once across
/// schedulers; one-off scheduled events run once at their time; the demo's hold expiry, whose
/// domain event a trigger turns into a notification.
@Suite("Schedules")
struct ScheduleTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
        utc.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    static func schedule(_ timing: Schedule.Timing, perTenant: Bool = false, function: String = "f", repeats: Bool = false) -> Schedule {
        Schedule(name: "s", timing: timing, perTenant: perTenant, action: .sql(SQLFunctionResolver(schema: "public", function: function), repeats: repeats),
                 position: SourcePosition(file: "strata.yaml", line: 1, column: 1))
    }

    @Test("an interval's slots count from the epoch; a cron expression's are the minutes it names, day fields as cron reads them")
    func slots() throws {
        let every = Self.schedule(.every(seconds: 60))
        #expect(Scheduler.slot(of: every, at: Self.date(2026, 11, 30, 8, 41, 59)) == Self.date(2026, 11, 30, 8, 41))
        let quarter = Self.schedule(.every(seconds: 900))
        #expect(Scheduler.slot(of: quarter, at: Self.date(2026, 11, 30, 8, 44, 59)) == Self.date(2026, 11, 30, 8, 30))

        let weekdays = Self.schedule(.cron(try CronExpression("*/15 9-17 * * 1-5")))
        #expect(Scheduler.slot(of: weekdays, at: Self.date(2026, 11, 30, 9, 45, 30)) == Self.date(2026, 11, 30, 9, 45), "a Monday")
        #expect(Scheduler.slot(of: weekdays, at: Self.date(2026, 11, 30, 9, 46)) == nil)
        #expect(Scheduler.slot(of: weekdays, at: Self.date(2026, 11, 29, 9, 45)) == nil, "a Sunday")
        // Day of month and day of week both restricted: either matches.
        let firstOrSunday = Self.schedule(.cron(try CronExpression("0 3 1 * 0")))
        #expect(Scheduler.slot(of: firstOrSunday, at: Self.date(2026, 11, 29, 3, 0)) != nil, "a Sunday")
        #expect(Scheduler.slot(of: firstOrSunday, at: Self.date(2026, 12, 1, 3, 0)) != nil, "the first")
        #expect(Scheduler.slot(of: firstOrSunday, at: Self.date(2026, 12, 2, 3, 0)) == nil)

        for (written, message) in [("* * * *", "a cron expression has five fields (minute hour day month weekday), '* * * *' has 4"),
                                   ("60 * * * *", "'60' is no minute from 0 to 59"), ("*/0 * * * *", "'0' is not a step of minutes")] {
            #expect(throws: CronExpression.Invalid.self) { try CronExpression(written) }
            do { _ = try CronExpression(written) } catch { #expect(error.description == message) }
        }
    }

    /// A database where `public.calls` records each call of `public.count_call(jsonb)`.
    static func counting() async throws -> TestDatabase {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        for statement in [
            "CREATE TABLE public.calls (tenant text, schedule text, slot text, at timestamptz DEFAULT clock_timestamp())",
            """
            CREATE FUNCTION public.count_call(run jsonb) RETURNS boolean LANGUAGE sql AS $$
                INSERT INTO public.calls (tenant, schedule, slot) VALUES (current_setting('app.tenant_id'), run ->> 'schedule', run ->> 'slot');
                SELECT false
            $$
            """,
            "GRANT INSERT, SELECT ON public.calls TO strata_worker",
            "GRANT EXECUTE ON FUNCTION public.count_call(jsonb) TO strata_worker",
        ] {
            _ = try await database.rows(PostgresQuery(unsafeSQL: statement))
        }
        return database
    }

    static func scheduler(_ database: TestDatabase, _ schedules: [Schedule]) -> Scheduler {
        var logger = Logger(label: "strata.test-scheduler")
        logger.logLevel = .critical
        return Scheduler(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), role: "strata_worker",
                                              tenants: (table: SQLQualifiedName(schema: "public", "tenants"), key: "id"), tick: .milliseconds(100)),
                         schedules: schedules, logger: logger)
    }

    @Test("two schedulers on one database: each slot of a per-tenant schedule runs once per tenant")
    func slotOnce() async throws {
        let database = try await Self.counting()
        let schedule = Schedule(name: "tick", timing: .every(seconds: 1), perTenant: true,
                                action: .sql(SQLFunctionResolver(schema: "public", function: "count_call"), repeats: false),
                                position: SourcePosition(file: "strata.yaml", line: 1, column: 1))
        let runners = [Self.scheduler(database, [schedule]), Self.scheduler(database, [schedule])].map { scheduler in Task { try await scheduler.run() } }
        // At least two slots for both tenants, however slowly a loaded machine gets there.
        try await BackgroundWait.until(database, "SELECT (count(DISTINCT (tenant, slot)) >= 4)::text FROM public.calls", is: "true")
        try await Task.sleep(for: .seconds(1))
        for runner in runners { runner.cancel() }
        let perSlot = try await database.rows("SELECT tenant, slot, count(*)::text FROM public.calls GROUP BY 1, 2 ORDER BY 2, 1")
        #expect(perSlot.count >= 4, "two tenants, at least two slots: \(perSlot)")
        #expect(perSlot.allSatisfy { $0[2] == "1" }, "one call per slot and tenant: \(perSlot)")
        #expect(Set(perSlot.compactMap { $0[0] }) == [DemoTenants.acme, DemoTenants.globex])
    }

    @Test("a one-off scheduled event runs at its time, once, under its tenant; one naming no schedule becomes dead")
    func oneOff() async throws {
        let database = try await Self.counting()
        let onDemand = Schedule(name: "later", timing: .onDemand, perTenant: false,
                                action: .sql(SQLFunctionResolver(schema: "public", function: "count_call"), repeats: false),
                                position: SourcePosition(file: "strata.yaml", line: 1, column: 1))
        try await database.withConnection { connection in
            let logger = Logger(label: "strata.test")
            try await connection.query("BEGIN", logger: logger)
            try await connection.query("SELECT set_config('app.tenant_id', \(DemoTenants.globex), true)", logger: logger)
            try await connection.query("SELECT strata.schedule('later', now() + interval '1 second', '{\"schedule\": \"later\"}')", logger: logger)
            try await connection.query("SELECT strata.schedule('nowhere', now(), '{}')", logger: logger)
            try await connection.query("COMMIT", logger: logger)
        }
        let runAt = try #require(try await database.rows("SELECT run_at::text FROM strata.scheduled_events WHERE schedule = 'later'").first?.first ?? nil)
        let runner = Task { try await Self.scheduler(database, [onDemand]).run() }
        defer { runner.cancel() }
        try await BackgroundWait.until(database, "SELECT count(*)::text FROM public.calls", is: "1")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await database.rows("SELECT tenant, schedule FROM public.calls") == [[DemoTenants.globex, "later"]])
        // Not before its time, by the database's clock (a loaded machine may start the scheduler late).
        #expect(try await database.rows("SELECT (at >= \(runAt)::timestamptz)::text FROM public.calls") == [["true"]], "not before its time")
        #expect(try await database.rows("SELECT schedule FROM strata.scheduled_events WHERE NOT dead") == [])
        let waiting = try await database.rows("SELECT schedule, last_error FROM strata.scheduled_events")
        #expect(waiting == [["nowhere", "no schedule is named 'nowhere' in strata.yaml"]])
    }

    @Test("the demo's hold expiry: an overdue hold expires on the schedule, and its domain event notifies the wallet's owner")
    func holdExpiry() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        let project = try SchemaProject.load(directory: ProjectFiles.root + "/schema", environment: [:])
        var expiry = try #require(project.settings.schedules.first { $0.name == "expire_holds" })
        expiry.timing = .every(seconds: 1)
        let handlers = try TriggerHandler.all(in: project).filter { $0.name == "money.hold.expired.hold_expired_notice" }
        try #require(handlers.count == 1)
        var logger = Logger(label: "strata.test-worker")
        logger.logLevel = .critical
        let reader = EventReader(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), pollInterval: .milliseconds(100),
                                                      role: project.settings.eventRole), handlers: handlers, logger: logger)
        let reading = Task { try await reader.run() }
        defer { reading.cancel() }
        try await BackgroundWait.until(database, "SELECT count(*)::text FROM strata.event_handlers WHERE name LIKE 'money.%'", is: "1")

        // Alan holds 5 for a second, through the mutation's function.
        let alan = "10000000-0000-4000-8000-000000000002", wallet = "14000000-0000-4000-8000-000000000002"
        try await database.withConnection { connection in
            let logger = Logger(label: "strata.test")
            try await connection.query("BEGIN", logger: logger)
            try await connection.query("""
                SELECT set_config('role', 'member', true), set_config('app.tenant_id', \(DemoTenants.acme), true), set_config('app.user_id', \(alan), true)
                """, logger: logger)
            try await connection.query("SELECT id FROM public.hold_money(\(wallet)::uuid, 5, 1)", logger: logger)
            try await connection.query("COMMIT", logger: logger)
        }
        let scheduling = Task { try await Self.scheduler(database, [expiry]).run() }
        defer { scheduling.cancel() }
        let notified: PostgresQuery = "SELECT count(*)::text FROM public.notifications WHERE kind = 'hold_expired'"
        try await BackgroundWait.until(database, notified, is: "1")
        #expect(try await database.rows("SELECT user_id::text, payload ->> 'amount' FROM public.notifications WHERE kind = 'hold_expired'")
            == [[alan, "5.00"]])
        #expect(try await database.rows("SELECT status FROM public.transactions") == [["expired"]])
        #expect(try await database.rows("SELECT available::text, frozen::text FROM public.wallets WHERE id = \(wallet)::uuid") == [["50.00", "0.00"]])
    }
}
