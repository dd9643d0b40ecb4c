import Database
import Events
import Foundation
import Logging
import PostgresNIO
import Testing
import TestSupport

/// The event reader keeps running while PostgreSQL restarts under it, and delivers every event
/// committed before and after. Delivery is at least once: a batch whose commit the restart cut
/// off is handed over again (handlers key their effects by event), so only that batch may repeat.
@Suite("Event reader across a database restart")
struct ReaderRestartTests {
    @Test("events committed before and after a restart are all delivered; only a batch cut off by the restart repeats")
    func survivesRestart() async throws {
        // PSQLError's own description hides its details; the reflection names the statement.
        do { try await run() } catch { Issue.record("\(String(reflecting: error))") }
    }

    func run() async throws {
        let (cluster, firstLease, database) = try await TestCluster.standalone("reader-restart")
        var lease = firstLease
        try await database.loadDemoData()
        let handler = RecordingHandler(name: "history", tables: ["projects"])
        let support = EventReaderTests()
        try await support.register(database, [handler])
        var logger = Logger(label: "strata.reader-test")
        logger.logLevel = .critical
        let reader = EventReader(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), batchSize: 10,
                                                      pollInterval: .milliseconds(200)),
                                 handlers: [handler], logger: logger)
        let running = Task { try await reader.run() }

        func count() async throws -> Int {
            Int(try await database.rows("SELECT count(*)::text FROM strata.change_events WHERE table_name = 'projects'").first?.first??.description ?? "") ?? -1
        }
        func waitForDeliveries(_ expected: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while Set(handler.events.map(\.id)).count < expected, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        }

        // Events from loading the demo data came before the handler was registered.
        let base = try await count()
        try await support.write(database, tenant: EventReaderTests.acme, count: 3)
        let before = try await count() - base
        try await waitForDeliveries(before)
        #expect(handler.events.count == before)

        // PostgreSQL stops (fast shutdown) and starts again while the reader runs.
        try await cluster.release(lease)
        try await Task.sleep(for: .seconds(1))
        lease = try await cluster.start()
        try await support.write(database, tenant: EventReaderTests.globex, count: 4)
        let after = try await count() - base
        #expect(after > before)
        try await waitForDeliveries(after)

        running.cancel()
        _ = try? await running.value
        let ids = handler.events.map(\.id)
        #expect(Set(ids).count == after, "every committed event delivered")
        #expect(ids.count - Set(ids).count <= 10, "only the one batch (of 10) the restart interrupted is delivered again")
        #expect(try await database.rows("SELECT count(*)::text FROM strata.event_deliveries") == [["0"]])
        try await cluster.release(lease)
    }
}
