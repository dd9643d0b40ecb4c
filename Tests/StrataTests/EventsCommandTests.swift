import Foundation
import Testing
import TestSupport

@Suite("strata events")
struct EventsCommandTests {
    static let acme = "00000000-0000-4000-8000-000000000001"
    static let globex = "00000000-0000-4000-8000-000000000002"

    static func lastEventID(_ database: TestDatabase) async throws -> String {
        try await database.rows("SELECT coalesce(max(id), 0)::text FROM strata.change_events").first?.first.flatMap { $0 } ?? "0"
    }

    @Test("tail prints one tenant's events as they commit, one JSON object per line, and stops on SIGTERM")
    func tail() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        let tail = try StrataProcess(["events", "tail", "--database-url", database.url(user: "strata_authenticator"),
                                      "--tenant", Self.acme, "--after", try await Self.lastEventID(database)])
        _ = try await database.rows("UPDATE public.projects SET name = 'Globex renamed' WHERE tenant_id = \(Self.globex)::uuid")
        _ = try await database.rows("UPDATE public.projects SET name = 'Acme renamed' WHERE tenant_id = \(Self.acme)::uuid")
        let line = try await tail.waitForOutput(containing: "Acme renamed", timeout: .seconds(30))
        let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(event?["op"] as? String == "update")
        #expect(event?["table"] as? String == "projects")
        #expect(event?["tenant_id"] as? String == Self.acme)
        #expect((event?["new"] as? [String: Any])?["name"] as? String == "Acme renamed")
        tail.signal(SIGTERM)
        #expect(try await tail.exitStatus() == 0)
        #expect(!tail.standardOutput.contains("Globex renamed"))
    }

    @Test("retry re-queues a dead letter once; an event without one is an error naming it")
    func retry() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        _ = try await database.rows("INSERT INTO strata.event_handlers (name) VALUES ('mailer')")
        _ = try await database.rows("UPDATE public.projects SET name = 'x' WHERE tenant_id = \(Self.acme)::uuid")
        let id = try await Self.lastEventID(database)
        _ = try await database.rows("UPDATE strata.event_deliveries SET dead = true, attempts = 10, last_error = 'smtp down' WHERE event_id = \(Int64(id)!)")
        let first = try await StrataProcess.run(["events", "retry", id, "--database-url", database.url(user: "strata_authenticator")])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("re-queued event \(id) for 1 handler(s)"))
        let delivery = try await database.rows("SELECT dead::text, attempts::text, last_error FROM strata.event_deliveries WHERE event_id = \(Int64(id)!)")
        #expect(delivery == [["false", "0", nil]])
        let second = try await StrataProcess.run(["events", "retry", id, "--database-url", database.url(user: "strata_authenticator")])
        #expect(second.status == 1)
        #expect(second.stderr.contains("event \(id) has no dead letter"))
    }
}
