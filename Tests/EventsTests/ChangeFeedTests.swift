import Database
import Events
import Logging
import PostgresNIO
import Synchronization
import Testing
import TestSupport

/// The change feed: each committed change told once as fresh with its tenant and table, settled
/// once no older transaction is running, and nothing missed while its connection was lost.
@Suite("Change feed")
struct ChangeFeedTests {
    static let acme = EventReaderTests.acme
    static let globex = EventReaderTests.globex
    let logger = Logger(label: "strata.feed-test")

    /// What a feed told, in order.
    final class Told: Sendable {
        private let updates = Mutex<[ChangeFeed.Update]>([])
        func record(_ update: ChangeFeed.Update) { updates.withLock { $0.append(update) } }
        var fresh: [ChangeFeed.Change] { updates.withLock { $0.flatMap(\.fresh) } }
        var settled: [ChangeFeed.Change] { updates.withLock { $0.flatMap(\.settled) } }
    }

    static func projects(_ tenant: String) -> ChangeFeed.Change { ChangeFeed.Change(tenant: tenant, table: "projects") }

    func rename(_ tenant: String, to name: String) -> PostgresQuery {
        "UPDATE public.projects SET name = \(name) WHERE tenant_id = \(tenant)::uuid"
    }

    /// Waits for `condition` up to a minute: the whole suite in parallel once kept a feed from its first look for over 20 s.
    func eventually(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }

    /// A demo database and a feed following it, looking every 20 ms, once it has looked.
    func following() async throws -> (TestDatabase, ChangeFeed, Told, Task<Void, any Error>) {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        let feed = ChangeFeed(endpoint: database.endpoint(user: "strata_authenticator"), interval: .milliseconds(20), logger: logger)
        let told = Told()
        feed.follow { told.record($0) }
        let running = Task { try await feed.run() }
        try await eventually { feed.isFollowing }
        return (database, feed, told, running)
    }

    @Test("a write committed while an older transaction runs is fresh at once and settles only when the older one ends")
    func freshThenSettled() async throws {
        let (database, feed, told, running) = try await following()
        defer { running.cancel() }
        #expect(feed.isFollowing)

        let (opened, open) = AsyncStream<Void>.makeStream()
        let (committing, commit) = AsyncStream<Void>.makeStream()
        let older = Task {
            try await database.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                try await connection.query(rename(Self.acme, to: "older"), logger: logger)
                open.yield()
                for await _ in committing { break }
                try await connection.query("COMMIT", logger: logger)
            }
        }
        for await _ in opened { break }
        _ = try await database.rows(rename(Self.globex, to: "newer"))
        try await eventually { told.fresh.contains(Self.projects(Self.globex)) }
        #expect(told.fresh == [Self.projects(Self.globex)], "the open transaction's change is not told before it commits")
        try await Task.sleep(for: .milliseconds(200))
        #expect(told.settled.isEmpty, "an older transaction is still running")

        commit.yield()
        try await older.value
        try await eventually { told.settled.count == 2 }
        #expect(told.fresh == [Self.projects(Self.globex), Self.projects(Self.acme)], "each change told once as fresh")
        #expect(Set(told.settled) == [Self.projects(Self.globex), Self.projects(Self.acme)])
    }

    @Test("changes committed while the feed's connection is lost are told once it is back")
    func nothingMissedAcrossReconnect() async throws {
        let (database, feed, told, running) = try await following()
        defer { running.cancel() }

        let killed = try await database.rows("""
            SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity
            WHERE datname = current_database() AND usename = 'strata_authenticator' AND pid <> pg_backend_pid()
            """)
        #expect(killed == [["true"]], "the feed's one connection")
        _ = try await database.rows(rename(Self.acme, to: "while away"))
        try await eventually { told.fresh.contains(Self.projects(Self.acme)) }
        #expect(told.fresh == [Self.projects(Self.acme)])
        #expect(feed.isFollowing)
    }
}
