import Crypto
import Database
import Events
import Foundation
import GraphQLTypeSystem
import Logging
import PostgresNIO
import SchemaModel
import Testing
import TestSupport

/// `webhook` triggers against a local receiver: the event POSTed as JSON with its idempotency key
/// and a signature the receiver can check, retried with the same key until a 2xx, a dead letter
/// after the last attempt, and `strata events retry` sending it again.
@Suite("Webhook triggers")
struct WebhookTriggerTests {
    static let secret = "a shared webhook secret"
    static let robots = "11000000-0000-4000-8000-000000000001"

    static func insertTask(_ database: TestDatabase, title: String) async throws -> String {
        try await database.rows("""
            INSERT INTO public.tasks (tenant_id, project_id, title) VALUES (\(DemoTenants.acme)::uuid, \(robots)::uuid, \(title)) RETURNING id::text
            """).first?.first??.description ?? ""
    }

    /// Waits until `done` holds or a minute passes.
    static func wait(until done: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
    }

    @Test("retried with one idempotency key until the receiver takes it, signed; a receiver that never does gets a dead letter, and retry sends it again")
    func webhooks() async throws {
        let receiver = WebhookReceiver { request, earlier in
            // The first two calls to /hook fail; /down always does.
            request.path == "/hook" && earlier >= 2 ? .ok : .serviceUnavailable
        }
        let port = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        let project = try DemoSchema.addingTaskTriggers("""
              hook:
                operations: [insert]
                where:
                  new: { title: { _like: "Hook%" } }
                webhook: { url: "http://127.0.0.1:\(port)/hook", secret: "\(Self.secret)", initial_delay_ms: 50, max_delay_ms: 100 }
              down:
                operations: [insert]
                webhook: { url: "http://127.0.0.1:\(port)/down", initial_delay_ms: 50, max_delay_ms: 100, max_attempts: 3, timeout_ms: 10000 }

            """)
        let handlers = try TriggerHandler.all(in: project).filter { ["tasks.hook", "tasks.down"].contains($0.name) }
        try #require(handlers.count == 2)
        var logger = Logger(label: "strata.test-worker")
        logger.logLevel = .critical
        let reader = EventReader(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), batchSize: 10,
                                                      pollInterval: .milliseconds(100), role: project.settings.eventRole),
                                 handlers: handlers, logger: logger)
        let running = Task { try await reader.run() }
        defer { running.cancel() }
        try await BackgroundWait.until(database, "SELECT count(*)::text FROM strata.event_handlers WHERE name LIKE 'tasks.%o%'", is: "2")

        let hooked = try await Self.insertTask(database, title: "Hook the crane")
        _ = try await Self.insertTask(database, title: "Sweep the floor")
        let deadLetters: PostgresQuery = "SELECT count(*)::text FROM strata.event_deliveries WHERE handler = 'tasks.down' AND dead"
        try await Self.wait {
            let dead = try await database.rows(deadLetters).first?.first ?? nil
            return receiver.requests.filter { $0.path == "/hook" }.count >= 3 && dead == "2"
        }

        let hooks = receiver.requests.filter { $0.path == "/hook" }
        #expect(hooks.count == 3, "two refusals, then the one the receiver took; the other task never matched")
        let keys = Set(hooks.compactMap { $0.headers["idempotency-key"] })
        #expect(keys.count == 1 && keys.first?.hasPrefix("tasks.hook:") == true, "one key for every attempt: \(keys)")
        for hook in hooks {
            let event = try JSONValue.parse(hook.body)
            #expect(event["id"] == .string(keys.first ?? ""))
            #expect(event["event"]?["new"]?["id"] == .string(hooked))
            #expect(event["event"]?["op"] == .string("insert"))
            #expect(Self.verifies(hook), "the signature checks out with the shared secret")
        }

        let downs = receiver.requests.filter { $0.path == "/down" }
        // Three attempts each, after one post together when one batch claimed both. (With a short
        // timeout, a loaded machine once timed out an attempt before it reached the receiver.)
        let perKey = Dictionary(grouping: downs, by: { $0.headers["idempotency-key"] ?? "" }).mapValues(\.count)
        #expect(perKey.count == 2 && perKey.values.allSatisfy { (3...4).contains($0) }, "\(perKey)")
        #expect(downs.allSatisfy { $0.headers["strata-signature"] == nil }, "no secret, no signature")
        let dead = try await database.rows("SELECT attempts::text, last_error FROM strata.event_deliveries WHERE handler = 'tasks.down' AND dead")
        #expect(dead.count == 2)
        #expect(dead.allSatisfy { $0[0] == "3" && ($0[1] ?? "").contains("answered 503") }, "\(dead)")

        // Retrying a dead letter posts it again, with the same key.
        let event = Int64(String((downs.first?.headers["idempotency-key"] ?? "").split(separator: ":").last ?? "")) ?? 0
        #expect(try await EventDeliveries.retry("tasks.down", event: event, on: database.endpoint(), logger: logger) == 1)
        try await Self.wait { receiver.requests.filter { $0.path == "/down" }.count > downs.count }
        #expect(receiver.requests.filter { $0.path == "/down" }.last?.headers["idempotency-key"] == "tasks.down:\(event)")
    }

    /// Recomputes `t=…,v1=…` over the body with the secret.
    static func verifies(_ request: WebhookReceiver.Request) -> Bool {
        guard let header = request.headers["strata-signature"] else { return false }
        let parts = Dictionary(uniqueKeysWithValues: header.split(separator: ",").compactMap { part -> (String, String)? in
            let pair = part.split(separator: "=", maxSplits: 1)
            return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
        })
        guard let time = parts["t"], let given = parts["v1"] else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(time).\(request.body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Hex.encode(Data(mac)) == given
    }
}
