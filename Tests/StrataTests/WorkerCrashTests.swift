import Foundation
import PostgresNIO
import Testing
import TestSupport

/// `strata worker` killed with SIGKILL while it works through a backlog: PostgreSQL rolls back
/// the batch in hand — its history rows with its acknowledgements — and a new worker takes it
/// up, so every event ends with exactly one history row, versions unbroken.
@Suite("strata worker crash")
struct WorkerCrashTests {
    static func count(_ database: TestDatabase, _ query: PostgresQuery) async throws -> Int {
        Int(try await database.rows(query).first?.first??.description ?? "") ?? -1
    }

    @Test("after SIGKILL part-way through a backlog and a restart, each event has exactly one history row")
    func killedWorker() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        // The handler as `strata migrate` registers it, then a backlog: each round renames both
        // tenants' projects.
        _ = try await database.rows("INSERT INTO strata.event_handlers (name, tables, declared) VALUES ('projects.history', '{projects}', true)")
        _ = try await database.rows("DO $$ BEGIN FOR i IN 1..2500 LOOP UPDATE public.projects SET name = 'round ' || i; END LOOP; END $$")
        let events = try await Self.count(database, "SELECT count(*)::text FROM strata.event_deliveries WHERE handler = 'projects.history'")
        #expect(events == 5_000)
        let history: PostgresQuery = "SELECT count(*)::text FROM public.entity_history WHERE entity = 'projects'"
        let arguments = ["worker", "--database-url", database.url(user: "strata_authenticator")]

        let first = try StrataProcess(arguments)
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, try await Self.count(database, history) == 0 {
            try await Task.sleep(for: .milliseconds(2))
        }
        first.signal(SIGKILL)
        _ = try await first.exitStatus()
        let atKill = try await Self.count(database, history)
        #expect(atKill > 0 && atKill < events, "the kill should land part-way: \(atKill) of \(events)")

        let second = try StrataProcess(arguments)
        try await BackgroundWait.until(database, "SELECT count(*)::text FROM strata.event_deliveries WHERE handler = 'projects.history'", is: "0")
        second.signal(SIGTERM)
        #expect(try await second.exitStatus() == 0)

        #expect(try await Self.count(database, history) == events)
        // Per project: versions 1 … n, each once.
        let versions = try await database.rows("""
            SELECT entity_id, count(*)::text, count(DISTINCT version)::text, max(version)::text, count(DISTINCT change_event_id)::text
            FROM public.entity_history WHERE entity = 'projects' GROUP BY entity_id ORDER BY entity_id
            """)
        #expect(versions.count == 2)
        for row in versions {
            #expect(row[1] == "2500" && row[2] == "2500" && row[3] == "2500" && row[4] == "2500", "\(row)")
        }
    }
}
