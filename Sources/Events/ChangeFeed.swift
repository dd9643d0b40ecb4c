import Database
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// What committed in `strata.change_events` — whoever wrote it: this process, another one, plain
/// SQL — told to followers as the tenants and tables that changed.
///
/// Writers do not notify anyone (PostgreSQL serializes the commits of notifying transactions);
/// the feed looks every `interval` on one connection of its own, with one indexed statement
/// that reads what became visible since its previous snapshot: events of transactions that
/// snapshot saw running or that began after it (`transaction_id`). Nothing is missed across
/// a lost connection: the next look starts from the last snapshot read.
///
/// A change is told twice: *fresh* when its transaction has committed, and *settled* once every
/// transaction that began before it has ended too — from then on no event can commit before it
/// in the order `(transaction_id, id)`, which is the order the event channel follows.
public final class ChangeFeed: Service, Sendable {
    /// A table (or domain event type) that changed in a tenant (nil: one without tenants).
    public struct Change: Hashable, Sendable {
        public let tenant: String?
        public let table: String

        public init(tenant: String?, table: String) {
            self.tenant = tenant
            self.table = table
        }
    }

    /// One look's news.
    public struct Update: Sendable {
        /// Changes whose transactions committed since the previous look.
        public var fresh: Set<Change> = []
        /// Changes that no earlier transaction can precede any more.
        public var settled: Set<Change> = []
    }

    private struct Followers {
        var next = 0
        var bodies: [Int: @Sendable (Update) -> Void] = [:]
    }

    let endpoint: DatabaseEndpoint
    /// How long it waits between looks.
    public let interval: Duration
    let logger: Logger
    private let followers = Mutex(Followers())
    private let following = Atomic(false)

    public init(endpoint: DatabaseEndpoint, interval: Duration = .milliseconds(25), logger: Logger) {
        self.endpoint = endpoint
        self.interval = interval
        self.logger = logger
    }

    /// Whether its last look went through.
    public var isFollowing: Bool { following.load(ordering: .acquiring) }

    /// Calls `body` with each look's news (on the feed's task; `body` must not wait); returns the
    /// token for `unfollow`.
    @discardableResult
    public func follow(_ body: @escaping @Sendable (Update) -> Void) -> Int {
        followers.withLock { followers in
            followers.next += 1
            followers.bodies[followers.next] = body
            return followers.next
        }
    }

    public func unfollow(_ token: Int) {
        _ = followers.withLock { $0.bodies.removeValue(forKey: token) }
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { await self.look() }
    }

    /// Looks every `interval` until cancelled, reconnecting after a failure.
    private func look() async {
        var position = ChangeFeedPosition()
        var connection: PostgresConnection?
        while !Task.isCancelled {
            do {
                if connection == nil || connection?.isClosed == true {
                    connection = try await PostgresConnection.connect(configuration: endpoint.connectionConfiguration(), id: 0, logger: logger)
                }
                guard let connection else { continue }
                let update = try await position.advance(on: connection, logger: logger)
                following.store(true, ordering: .releasing)
                if !update.fresh.isEmpty || !update.settled.isEmpty {
                    for body in followers.withLock({ Array($0.bodies.values) }) { body(update) }
                }
                try? await Task.sleep(for: interval)
            } catch {
                if Task.isCancelled { break }
                following.store(false, ordering: .releasing)
                logger.warning("following change events failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                try? await connection?.close()
                connection = nil
                try? await Task.sleep(for: .seconds(1))
            }
        }
        following.store(false, ordering: .releasing)
        try? await connection?.close()
    }
}

/// Where a feed stands: the snapshot of its last look, and the fresh changes not settled yet
/// with the newest transaction id each was seen in.
struct ChangeFeedPosition {
    private(set) var snapshot: String?
    private var unsettled: [ChangeFeed.Change: UInt64] = [:]

    /// Reads what became visible since the last look; the news. Two index scans (not one `OR`,
    /// which PostgreSQL answers with a scan of the whole table).
    mutating func advance(on connection: PostgresConnection, logger: Logger) async throws -> ChangeFeed.Update {
        // No transaction ended since the last look (the snapshot is the same): nothing new can be
        // visible, and the one trivial statement is all a quiet database costs.
        if let snapshot {
            var now: String?
            for try await text in try await connection.guardedQuery("SELECT pg_current_snapshot()::text", logger: logger).decode(String.self) {
                now = text
            }
            if now == snapshot { return ChangeFeed.Update() }
        }
        let rows = try await connection.guardedQuery("""
            SELECT now.snapshot, fresh.tenant_id, fresh.table_name, fresh.latest::text
            FROM (SELECT pg_current_snapshot()::text AS snapshot) AS now
            LEFT JOIN (SELECT tenant_id, table_name, max(transaction_id) AS latest
                       FROM (SELECT tenant_id, table_name, transaction_id FROM strata.change_events
                             WHERE transaction_id >= pg_snapshot_xmax(\(snapshot)::pg_snapshot)
                             UNION ALL
                             SELECT tenant_id, table_name, transaction_id FROM strata.change_events
                             WHERE transaction_id = ANY (ARRAY(SELECT pg_snapshot_xip(\(snapshot)::pg_snapshot)))) AS visible
                       GROUP BY tenant_id, table_name) AS fresh ON true
            """, logger: logger)
        var current: String?
        var found: [(ChangeFeed.Change, UInt64)] = []
        for try await (text, tenant, table, latest) in rows.decode((String, String?, String?, String?).self) {
            current = text
            if let table, let latest = latest.flatMap({ UInt64($0) }) { found.append((ChangeFeed.Change(tenant: tenant, table: table), latest)) }
        }
        guard let current, let oldest = Self.oldestRunning(current) else { throw ChangeFeedError.unreadableSnapshot }
        var update = ChangeFeed.Update()
        for (change, latest) in found {
            update.fresh.insert(change)
            unsettled[change] = max(unsettled[change] ?? 0, latest)
        }
        for (change, latest) in unsettled where latest < oldest {
            update.settled.insert(change)
            unsettled.removeValue(forKey: change)
        }
        snapshot = current
        return update
    }

    /// The oldest transaction a snapshot (`xmin:xmax:xip,…`) saw running: every one before it has ended.
    static func oldestRunning(_ snapshot: String) -> UInt64? {
        snapshot.split(separator: ":", maxSplits: 1).first.flatMap { UInt64($0) }
    }
}

enum ChangeFeedError: Error, CustomStringConvertible {
    case unreadableSnapshot

    var description: String { "the database answered no snapshot the change feed could read" }
}
