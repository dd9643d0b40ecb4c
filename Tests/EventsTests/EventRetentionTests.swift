import Database
import Events
import Logging
import Testing
import TestSupport

/// Events past the retention window are trimmed, unless a handler still has to deliver them.
@Suite("Change event retention")
struct EventRetentionTests {
    @Test("of three old events and a new one, the two old ones no handler needs go; the new one and the one still to deliver stay")
    func trim() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        _ = try await database.rows("DELETE FROM strata.change_events")
        _ = try await database.rows("INSERT INTO strata.event_handlers (name, tables) VALUES ('audit', ARRAY['wallets'])")
        _ = try await database.rows("UPDATE public.tasks SET title = title || '.' WHERE tenant_id = '00000000-0000-4000-8000-000000000001'")
        _ = try await database.rows("UPDATE public.wallets SET available = available + 1 WHERE id = '14000000-0000-4000-8000-000000000001'")
        _ = try await database.rows("UPDATE strata.change_events SET created_at = now() - interval '10 days'")
        _ = try await database.rows("UPDATE public.tasks SET title = title || '!' WHERE id = '12000000-0000-4000-8000-000000000001'")
        let before = try await database.rows("SELECT table_name, (created_at < now() - interval '1 day')::text FROM strata.change_events ORDER BY id")
        #expect(before == [["tasks", "true"], ["tasks", "true"], ["wallets", "true"], ["tasks", "false"]])

        let retention = EventRetention(endpoint: database.endpoint(user: "strata_authenticator"), retention: .seconds(7 * 24 * 3_600),
                                       logger: Logger(label: "strata.test"))
        #expect(try await retention.trim() == 2)
        let after = try await database.rows("SELECT table_name, (created_at < now() - interval '1 day')::text FROM strata.change_events ORDER BY id")
        #expect(after == [["wallets", "true"], ["tasks", "false"]])
        #expect(try await retention.trim() == 0)
    }
}
