import AsyncHTTPClient
import Database
import Foundation
import GraphQLLanguage
import Logging
import PostgresNIO
import SchemaModel
import ServiceLifecycle
import SQL

/// Runs the project's schedules and its one-off scheduled events. Every second it looks at each
/// schedule's current slot (per tenant where it runs per tenant) and claims it by inserting its
/// row in `strata.schedule_runs`: only the process whose insert went in runs that slot, so a
/// slot runs at most once across processes. A slot the process was down for is not run later.
/// Due one-off events (`strata.schedule`) are claimed `FOR UPDATE SKIP LOCKED` and deleted in
/// the transaction that runs a `sql` resolver — exactly once — or after a webhook's 2xx.
public final class Scheduler: Service, Sendable {
    public struct Configuration: Sendable {
        public var endpoint: DatabaseEndpoint
        /// The role resolvers run as (`SET LOCAL ROLE`).
        public var role: String?
        /// The table listing tenants and its key column, for per-tenant schedules.
        public var tenants: (table: SQLQualifiedName, key: SQLIdentifier)?
        public var tick: Duration
        public var retry: RetryPolicy

        public init(endpoint: DatabaseEndpoint, role: String?, tenants: (table: SQLQualifiedName, key: SQLIdentifier)?, tick: Duration = .seconds(1),
                    retry: RetryPolicy = RetryPolicy()) {
            self.endpoint = endpoint
            self.role = role
            self.tenants = tenants
            self.tick = tick
            self.retry = retry
        }
    }

    let configuration: Configuration
    let schedules: [Schedule]
    let client: HTTPClient
    let logger: Logger
    let metrics: EventMetrics?

    public init(configuration: Configuration, schedules: [Schedule], client: HTTPClient = .shared, metrics: EventMetrics? = nil, logger: Logger) {
        self.configuration = configuration
        self.schedules = schedules
        self.client = client
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        let (ticks, tick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let interval = configuration.tick
        let clock = Task {
            while !Task.isCancelled {
                tick.yield()
                try? await Task.sleep(for: interval)
            }
        }
        defer { clock.cancel() }
        await withGracefulShutdownHandler {
            var connection: PostgresConnection?
            for await _ in ticks {
                do {
                    if connection == nil || connection?.isClosed == true {
                        connection = try await PostgresConnection.connect(configuration: configuration.endpoint.connectionConfiguration(),
                                                                          id: 0, logger: logger)
                    }
                    guard let connection else { continue }
                    try await runDueSlots(on: connection, at: Date())
                    while try await runScheduledEvents(on: connection) > 0, !Task.isCancelled {}
                } catch {
                    logger.error("running schedules failed", metadata: ["error": "\(EventReader.describe(error))"])
                    try? await connection?.close()
                    connection = nil
                }
            }
            try? await connection?.close()
        } onGracefulShutdown: {
            tick.finish()
        }
    }

    // MARK: Slots

    /// The slot of `schedule` that `date` falls in, or nil when the schedule has none then.
    public static func slot(of schedule: Schedule, at date: Date) -> Date? {
        let seconds = Int(date.timeIntervalSince1970)
        switch schedule.timing {
        case .onDemand:
            return nil
        case .every(let interval):
            return Date(timeIntervalSince1970: TimeInterval(seconds - seconds % interval))
        case .cron(let expression):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
            guard let minute = parts.minute, let hour = parts.hour, let day = parts.day, let month = parts.month, let weekday = parts.weekday,
                  expression.matches(minute: minute, hour: hour, day: day, month: month, weekday: weekday - 1) else { return nil }
            return Date(timeIntervalSince1970: TimeInterval(seconds - seconds % 60))
        }
    }

    func runDueSlots(on connection: PostgresConnection, at date: Date) async throws {
        for schedule in schedules {
            guard let slot = Self.slot(of: schedule, at: date) else { continue }
            let tenants = schedule.perTenant ? try await tenantIDs(on: connection) : [""]
            for tenant in tenants where try await claim(schedule, tenant: tenant, slot: slot, on: connection) {
                let payload = "{\"schedule\":\(JSONText.quoted(schedule.name)),\"slot\":\(JSONText.quoted(ISO8601DateFormatter().string(from: slot))),"
                    + "\"tenant_id\":\(tenant.isEmpty ? "null" : JSONText.quoted(tenant))}"
                var failure: String?
                do {
                    try await perform(schedule, payload: payload, tenant: tenant, actor: nil, key: "\(schedule.name):\(tenant):\(Int(slot.timeIntervalSince1970))",
                                      on: connection, retrying: true, ownTransactions: true)
                } catch {
                    failure = EventReader.describe(error)
                    metrics?.scheduledFailures.increment()
                    logger.error("a scheduled run failed", metadata: ["schedule": "\(schedule.name)", "tenant": "\(tenant)", "error": "\(failure!)"])
                }
                if failure == nil { metrics?.scheduledRuns.increment() }
                _ = try await connection.guardedQuery("""
                    UPDATE strata.schedule_runs SET finished_at = now(), error = \(failure)
                    WHERE schedule = \(schedule.name) AND tenant_id = \(tenant) AND slot = \(slot)
                    """, logger: logger)
            }
        }
    }

    /// Whether this process got the slot: its row went in.
    func claim(_ schedule: Schedule, tenant: String, slot: Date, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.guardedQuery("""
            INSERT INTO strata.schedule_runs (schedule, tenant_id, slot) VALUES (\(schedule.name), \(tenant), \(slot))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger)
        var claimed = false
        for try await _ in rows { claimed = true }
        return claimed
    }

    /// The tenants, listed as the resolvers' role sees them.
    func tenantIDs(on connection: PostgresConnection) async throws -> [String] {
        guard let tenants = configuration.tenants else { return [] }
        _ = try await connection.guardedQuery("BEGIN", logger: logger)
        do {
            if let role = configuration.role { _ = try await connection.guardedQuery("SELECT set_config('role', \(role), true)", logger: logger) }
            let listed = SQLRenderer.render(SQLSelect([.init(.cast(.column(table: "t", tenants.key), .text))], from: .table(tenants.table, as: "t")))
            let ids = try await connection.texts(of: PreparedSQL(listed.text), binds: [], logger: logger).compactMap { $0 }
            _ = try await connection.guardedQuery("COMMIT", logger: logger)
            return ids.sorted()
        } catch {
            _ = try? await connection.guardedQuery("ROLLBACK", logger: logger)
            throw error
        }
    }

    // MARK: Running a schedule's action

    /// Runs the action under `tenant` and `actor`: a SQL function — in a transaction of its own per
    /// call for a slot, in the open transaction for a one-off event — again and again while it
    /// answers true for a repeating one; or a webhook POST (tried up to its attempts when
    /// `retrying`).
    func perform(_ schedule: Schedule, payload: String, tenant: String, actor: String?, key: String,
                 on connection: PostgresConnection, retrying: Bool, ownTransactions: Bool) async throws {
        switch schedule.action {
        case .sql(let resolver, let repeats):
            var calls = 0
            repeat {
                calls += 1
                let answer = ownTransactions
                    ? try await inTransaction(on: connection) { try await self.call(resolver, payload: payload, tenant: tenant, actor: actor, on: connection) }
                    : try await call(resolver, payload: payload, tenant: tenant, actor: actor, on: connection)
                guard repeats, answer == "true" || answer == "t", calls < 100_000, !Task.isCancelled else { break }
            } while true
        case .webhook(let resolver):
            let poster = WebhookPoster(resolver: resolver, client: client)
            var attempt = 0
            while true {
                attempt += 1
                do {
                    try await poster.post(payload, key: key)
                    return
                } catch {
                    let policy = RetryPolicy(initialDelay: .milliseconds(resolver.initialDelayMilliseconds),
                                             maximumDelay: .milliseconds(resolver.maximumDelayMilliseconds),
                                             maximumAttempts: resolver.maximumAttempts, jitter: 0.25)
                    guard retrying, case .retry(let delay) = policy.jitteredDecision(afterFailedAttempt: attempt) else { throw error }
                    try await Task.sleep(for: delay)
                }
            }
        }
    }

    /// `schema.function($payload)` under the role, tenant and actor; its answer as text.
    func call(_ resolver: SQLFunctionResolver, payload: String, tenant: String, actor: String?, on connection: PostgresConnection) async throws -> String? {
        _ = try await connection.guardedQuery("""
            SELECT set_config('role', \(configuration.role ?? "none"), true), set_config('app.tenant_id', \(tenant), true),
                   set_config('app.user_id', \(actor ?? ""), true)
            """, logger: logger)
        let function = SQLQualifiedName(schema: SQLIdentifier(resolver.schema), SQLIdentifier(resolver.function))
        let call = SQLRenderer.render(SQLSelect([.init(.cast(.function(function, [.cast(.value(.text(payload)), .jsonb)]), .text))]))
        return try await connection.firstText(of: PreparedSQL(call.text), binds: call.binds.map { bind in
            if case .value(let value) = bind { value } else { .null }
        }, logger: logger)
    }

    func inTransaction<T: Sendable>(on connection: PostgresConnection, _ body: () async throws -> T) async throws -> T {
        _ = try await connection.guardedQuery("BEGIN", logger: logger)
        do {
            let value = try await body()
            _ = try await connection.guardedQuery("COMMIT", logger: logger)
            return value
        } catch {
            _ = try? await connection.guardedQuery("ROLLBACK", logger: logger)
            throw error
        }
    }

    // MARK: One-off scheduled events

    /// Claims up to ten due one-off events and runs each in a savepoint; returns how many.
    func runScheduledEvents(on connection: PostgresConnection) async throws -> Int {
        try await inTransaction(on: connection) {
            let rows = try await connection.guardedQuery("""
                SELECT id, schedule, coalesce(tenant_id, ''), payload::text, actor, attempts FROM strata.scheduled_events
                WHERE NOT dead AND run_at <= now() AND available_at <= now()
                ORDER BY run_at, id LIMIT 10 FOR UPDATE SKIP LOCKED
                """, logger: logger)
            var due: [(Int64, String, String, String, String?, Int32)] = []
            for try await row in rows.decode((Int64, String, String, String, String?, Int32).self) { due.append(row) }
            for (id, name, tenant, payload, actor, attempts) in due {
                _ = try await connection.guardedQuery("SAVEPOINT strata_scheduled", logger: logger)
                do {
                    guard let schedule = schedules.first(where: { $0.name == name }) else {
                        throw UnknownSchedule(name: name)
                    }
                    try await perform(schedule, payload: payload, tenant: tenant, actor: actor, key: "scheduled:\(id)", on: connection, retrying: false,
                                      ownTransactions: false)
                    _ = try await connection.guardedQuery("RESET ROLE", logger: logger)
                    _ = try await connection.guardedQuery("RELEASE SAVEPOINT strata_scheduled", logger: logger)
                    _ = try await connection.guardedQuery("DELETE FROM strata.scheduled_events WHERE id = \(id)", logger: logger)
                    metrics?.scheduledRuns.increment()
                } catch {
                    metrics?.scheduledFailures.increment()
                    _ = try await connection.guardedQuery("ROLLBACK TO SAVEPOINT strata_scheduled", logger: logger)
                    // A schedule the YAML does not name cannot succeed later: a dead letter at once,
                    // kept with its error.
                    let decision = error is UnknownSchedule ? .deadLetter : configuration.retry.jitteredDecision(afterFailedAttempt: Int(attempts) + 1)
                    let delay: Duration? = if case .retry(let after) = decision { after } else { nil }
                    let milliseconds = delay.map { Int64($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) }
                    _ = try await connection.guardedQuery("""
                        UPDATE strata.scheduled_events
                        SET attempts = attempts + 1, last_error = \(EventReader.describe(error)), dead = \(milliseconds == nil),
                            available_at = now() + make_interval(secs => coalesce(\(milliseconds), 0) / 1000.0)
                        WHERE id = \(id)
                        """, logger: logger)
                }
            }
            return due.count
        }
    }
}

struct UnknownSchedule: Error, CustomStringConvertible {
    var name: String
    var description: String { "no schedule is named '\(name)' in strata.yaml" }
}
