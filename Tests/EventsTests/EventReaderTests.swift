import Database
import Events
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing
import TestSupport

/// A handler that records what it was given and fails as told. A call with several events fails
/// as a whole when one of them is told to fail, before recording any — as a transaction would.
final class RecordingHandler: EventHandler {
    let name: String
    let tables: [String]?
    /// Per event id, how many times to fail before succeeding (`Int.max`: always).
    let failures: [Int64: Int]
    private let seen = Mutex<[ChangeEvent]>([])
    private let attempts = Mutex<[Int64: Int]>([:])

    init(name: String, tables: [String]? = nil, failures: [Int64: Int] = [:]) {
        self.name = name
        self.tables = tables
        self.failures = failures
    }

    struct Refusal: Error, CustomStringConvertible {
        let id: Int64
        var description: String { "refused event \(id)" }
    }

    func handle(_ events: [ChangeEvent], in transaction: HandlerTransaction) async throws {
        for event in events {
            let attempt = attempts.withLock { counts -> Int in
                counts[event.id, default: 0] += 1
                return counts[event.id]!
            }
            if attempt <= failures[event.id] ?? 0 { throw Refusal(id: event.id) }
        }
        seen.withLock { $0 += events }
    }

    var events: [ChangeEvent] { seen.withLock { $0 } }
    func attempts(of id: Int64) -> Int { attempts.withLock { $0[id] ?? 0 } }
}

@Suite("Event reader")
struct EventReaderTests {
    static let acme = "00000000-0000-4000-8000-000000000001"
    static let globex = "00000000-0000-4000-8000-000000000002"
    let logger = Logger(label: "strata.reader-test")

    func reader(_ database: TestDatabase, _ handlers: [any EventHandler], retry: RetryPolicy = RetryPolicy()) -> EventReader {
        EventReader(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), batchSize: 10,
                                         pollInterval: .milliseconds(200), retry: retry),
                    handlers: handlers, logger: logger)
    }

    /// Runs `readers` until `done` holds (or a minute passes: under a loaded CI machine's whole
    /// suite, ten seconds were once not enough for three attempts).
    func run(_ readers: [EventReader], until done: @Sendable () async throws -> Bool) async throws {
        let tasks = readers.map { reader in Task { try await reader.run() } }
        let deadline = ContinuousClock.now + .seconds(60)
        while try await !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        for task in tasks { task.cancel() }
        for task in tasks { try? await task.value }
    }

    /// Registers the handlers (as a reader's first wake does) before anything is written.
    func register(_ database: TestDatabase, _ handlers: [any EventHandler]) async throws {
        for handler in handlers {
            _ = try await database.rows("INSERT INTO strata.event_handlers (name, tables) VALUES (\(handler.name), \(handler.tables)::text[])")
        }
    }

    /// Renames every project of `tenant` `count` times, one statement each: `count` events per project.
    func write(_ database: TestDatabase, tenant: String, count: Int) async throws {
        try await database.withConnection { connection in
            for round in 0..<count {
                try await connection.query("UPDATE public.projects SET name = \("round \(round)") WHERE tenant_id = \(tenant)::uuid",
                                           logger: logger)
            }
        }
    }

    /// A demo database where `handler` is registered and both tenants renamed their projects
    /// `rounds` times; with the number of deliveries queued.
    func queued(for handler: RecordingHandler, rounds: Int) async throws -> (TestDatabase, Int) {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        try await register(database, [handler])
        try await write(database, tenant: Self.acme, count: rounds)
        try await write(database, tenant: Self.globex, count: rounds)
        let count = try await database.rows("SELECT count(*)::text FROM strata.event_deliveries").first?.first ?? nil
        return (database, count.flatMap { Int($0) } ?? -1)
    }

    @Test("every committed event reaches the handler once, in order per tenant; nothing stays queued")
    func delivers() async throws {
        let handler = RecordingHandler(name: "history", tables: ["projects"])
        let (database, expected) = try await queued(for: handler, rounds: 5)
        #expect(expected > 0)
        try await run([reader(database, [handler])]) { handler.events.count >= expected }
        let events = handler.events
        #expect(events.count == expected)
        #expect(Set(events.map(\.id)).count == expected)
        for tenant in [Self.acme, Self.globex] {
            let ids = events.filter { $0.tenantID == tenant }.map(\.id)
            #expect(ids == ids.sorted())
        }
        #expect(events.allSatisfy { $0.table == "projects" && $0.operation == .update && $0.newJSON != nil })
        #expect(try await database.rows("SELECT count(*)::text FROM strata.event_deliveries") == [["0"]])
    }

    @Test("a failing delivery is retried after a pause and holds back its tenant's later events; the last failure is a dead letter")
    func retriesThenDeadLetters() async throws {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        try await register(database, [RecordingHandler(name: "notify", tables: ["projects"])])
        let start = Int64(try await database.rows("SELECT coalesce(max(id), 0)::text FROM strata.change_events").first?.first??.description ?? "0")!
        try await write(database, tenant: Self.acme, count: 2)
        let ids = try await database.rows("SELECT id::text FROM strata.change_events WHERE id > \(start) ORDER BY id").compactMap { $0.first??.description }
            .compactMap { Int64($0) }
        let flaky = ids[0], hopeless = ids[ids.count - 1]
        let handler = RecordingHandler(name: "notify", tables: ["projects"], failures: [flaky: 2, hopeless: .max])
        let policy = RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .milliseconds(200), maximumAttempts: 3)
        let deadLetters: PostgresQuery = "SELECT event_id::text, attempts::text, last_error FROM strata.event_deliveries WHERE dead"
        try await run([reader(database, [handler], retry: policy)]) { try await !database.rows(deadLetters).isEmpty }
        // Each failure is tried alone before it counts: at least twice in all before it succeeds.
        #expect(handler.attempts(of: flaky) >= 3)
        #expect(handler.events.map(\.id) == ids.filter { $0 != hopeless })
        // The flaky event came first, though it needed three attempts: its tenant waited.
        #expect(handler.events.first?.id == flaky)
        let dead = try await database.rows(deadLetters)
        #expect(dead == [[String(hopeless), "3", "refused event \(hopeless)"]])
    }

    @Test("two readers draining one handler's queue never hand it the same event twice")
    func concurrentReaders() async throws {
        let handler = RecordingHandler(name: "holds", tables: ["projects"])
        let (database, expected) = try await queued(for: handler, rounds: 30)
        try await run([reader(database, [handler]), reader(database, [handler])]) { handler.events.count >= expected }
        let ids = handler.events.map(\.id)
        #expect(ids.count == expected)
        #expect(Set(ids).count == ids.count)
    }
}
