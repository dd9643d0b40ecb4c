import Foundation
import PostgresNIO
import Testing
import TestSupport

/// A reader process killed with SIGKILL in the middle of a batch: its transaction — the effects
/// made so far and their acknowledgements — is rolled back by PostgreSQL, the batch is delivered
/// again after a restart, and each event ends with exactly one effect.
@Suite("Event reader crash")
struct ReaderCrashTests {
    static let acme = "00000000-0000-4000-8000-000000000001"
    static let globex = "00000000-0000-4000-8000-000000000002"

    static func count(_ database: TestDatabase, _ table: String) async throws -> Int {
        let text = try await database.rows("SELECT count(*)::text FROM \(unescaped: table)").first?.first ?? nil
        return text.flatMap { Int($0) } ?? -1
    }

    @Test("after SIGKILL mid-batch and a restart, every event has exactly one effect")
    func killedMidBatch() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        for statement in [
            "CREATE TABLE public.effects (idempotency_key text PRIMARY KEY, event_id bigint NOT NULL)",
            "CREATE TABLE public.effect_attempts (event_id bigint NOT NULL)",
            "GRANT INSERT, SELECT ON public.effects, public.effect_attempts TO strata_authenticator",
            "INSERT INTO strata.event_handlers (name) VALUES ('effects')",
        ] {
            _ = try await database.rows(PostgresQuery(unsafeSQL: statement))
        }
        try await database.withConnection { connection in
            for round in 0..<60 {
                for tenant in [Self.acme, Self.globex] {
                    try await connection.query("UPDATE public.projects SET name = \("round \(round)") WHERE tenant_id = \(tenant)::uuid",
                                               logger: .init(label: "strata.test"))
                }
            }
        }
        let events = try await Self.count(database, "strata.event_deliveries")
        #expect(events > 100)
        let worker = ProjectFiles.builtExecutable("strata-event-worker")
        let url = database.url(user: "strata_authenticator")

        let first = try StrataProcess([url], executable: worker)
        let deadline = ContinuousClock.now + .seconds(30)
        // Batches hold 20 deliveries and every attempt is recorded at once, so a count of
        // attempts that is no multiple of 20 means a batch is under way.
        while ContinuousClock.now < deadline {
            let attempts = try await Self.count(database, "public.effect_attempts")
            if attempts >= events / 4, attempts % 20 != 0 { break }
            try await Task.sleep(for: .milliseconds(2))
        }
        first.signal(SIGKILL)
        _ = try await first.exitStatus()
        let effectsAtKill = try await Self.count(database, "public.effects")
        let attemptsAtKill = try await Self.count(database, "public.effect_attempts")
        #expect(effectsAtKill > 0 && effectsAtKill < events, "the kill should land part-way")
        #expect(attemptsAtKill > effectsAtKill, "the batch under way made effects that were rolled back")

        let second = try StrataProcess([url], executable: worker)
        let finish = ContinuousClock.now + .seconds(60)
        while try await Self.count(database, "strata.event_deliveries") > 0, ContinuousClock.now < finish {
            try await Task.sleep(for: .milliseconds(50))
        }
        second.signal(SIGTERM)
        #expect(try await second.exitStatus() == 0)

        #expect(try await Self.count(database, "public.effects") == events)
        #expect(try await Self.count(database, "strata.event_deliveries") == 0)
        // Some deliveries ran twice (the killed batch), yet no effect did: a second one would
        // have broken public.effects' primary key.
        let attempts = try await Self.count(database, "public.effect_attempts")
        #expect(attempts > events)
        let distinct = try await database.rows("SELECT count(DISTINCT event_id)::text FROM public.effect_attempts").first?.first ?? nil
        #expect(distinct == String(events))
    }
}
