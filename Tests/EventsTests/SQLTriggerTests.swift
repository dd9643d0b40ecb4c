import Database
import Events
import Foundation
import Logging
import PostgresNIO
import SchemaModel
import Testing
import TestSupport

/// A `sql` trigger from the YAML: its function is called with the event, as the events role,
/// under the event's tenant and actor, in the transaction that acknowledges the delivery.
@Suite("SQL triggers")
struct SQLTriggerTests {
    static let ada = "10000000-0000-4000-8000-000000000001"
    static let robots = "11000000-0000-4000-8000-000000000001"

    @Test("a function failing twice, then succeeding, leaves one effect, made as the events role under the event's tenant and actor")
    func failsTwiceThenOnce() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        for statement in [
            "CREATE SEQUENCE public.flaky_calls",
            "CREATE TABLE public.effects (event_id bigint PRIMARY KEY, tenant_id text, actor text, role text, title text)",
            """
            CREATE FUNCTION public.record_effect(event jsonb) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('public.flaky_calls') <= 2 THEN
                    RAISE EXCEPTION 'not yet (call %)', currval('public.flaky_calls');
                END IF;
                INSERT INTO public.effects VALUES ((event ->> 'id')::bigint, current_setting('app.tenant_id'),
                                                   current_setting('app.user_id'), current_user, event -> 'new' ->> 'title');
            END
            $$
            """,
            "GRANT USAGE ON SEQUENCE public.flaky_calls TO strata_worker",
            "GRANT INSERT, SELECT ON public.effects TO strata_worker",
            "GRANT EXECUTE ON FUNCTION public.record_effect(jsonb) TO strata_worker",
        ] {
            _ = try await database.rows(PostgresQuery(unsafeSQL: statement))
        }
        let project = try DemoSchema.addingTaskTriggers("""
              record:
                operations: [insert]
                sql: { function: public.record_effect }

            """)
        let handlers = try TriggerHandler.all(in: project).filter { $0.name == "tasks.record" }
        try #require(handlers.count == 1)
        var logger = Logger(label: "strata.test-worker")
        logger.logLevel = .critical
        let reader = EventReader(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), batchSize: 10,
                                                      pollInterval: .milliseconds(100),
                                                      retry: RetryPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(100)),
                                                      role: project.settings.eventRole),
                                 handlers: handlers, logger: logger)
        let running = Task { try await reader.run() }
        defer { running.cancel() }
        _ = try await BackgroundWait.until(database, "SELECT count(*)::text FROM strata.event_handlers WHERE name = 'tasks.record'", is: "1")

        // Ada inserts a task (and a rename that the trigger does not take).
        try await database.withConnection { connection in
            let logger = Logger(label: "strata.test")
            try await connection.query("BEGIN", logger: logger)
            try await connection.query("SELECT set_config('app.user_id', \(Self.ada), true)", logger: logger)
            try await connection.query("""
                INSERT INTO public.tasks (tenant_id, project_id, title) VALUES (\(DemoTenants.acme)::uuid, \(Self.robots)::uuid, 'Grease the joints')
                """, logger: logger)
            try await connection.query("UPDATE public.tasks SET title = 'Grease every joint' WHERE title = 'Grease the joints'", logger: logger)
            try await connection.query("COMMIT", logger: logger)
        }
        let settled = try await BackgroundWait.until(database, "SELECT count(*)::text FROM strata.event_deliveries WHERE handler = 'tasks.record'", is: "0")
        #expect(settled == "0")
        #expect(try await database.rows("SELECT tenant_id, actor, role, title FROM public.effects")
            == [[DemoTenants.acme, Self.ada, "strata_worker", "Grease the joints"]])
        let calls = try await database.rows("SELECT last_value::text FROM public.flaky_calls").first?.first ?? nil
        #expect(calls.flatMap { Int($0) } ?? 0 >= 3, "two failed calls before the one that counted")
    }
}
