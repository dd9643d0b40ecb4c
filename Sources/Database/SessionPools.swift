import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The session pool split by event loop: each loop's requests lease connections that live on
/// that same loop, so a request runs from its socket to the database and back on one thread.
/// Each part is a `SessionPool` with its share of the connections (and of the waiting places),
/// settings-affine and leak-free on its own. With fewer connections than loops, several loops
/// share a part, and requests of the loops without one hop to its loop.
public final class SessionPools: Service, Sendable {
    public let partitions: [SessionPool]
    /// Which part serves each loop.
    private let partitionOfLoop: [ObjectIdentifier: Int]

    public init(configuration: SessionPool.Configuration, group: MultiThreadedEventLoopGroup = .singleton, logger: Logger) {
        let loops = Array(group.makeIterator())
        let count = max(1, min(loops.count, configuration.maximumConnections))
        partitions = (0..<count).map { index in
            var share = configuration
            share.maximumConnections = Self.share(of: configuration.maximumConnections, part: index, parts: count)
            share.maximumWaiting = max(1, Self.share(of: configuration.maximumWaiting, part: index, parts: count))
            share.concurrentReads = configuration.concurrentReads.map { max(1, Self.share(of: $0, part: index, parts: count)) }
            share.concurrentWrites = configuration.concurrentWrites.map { max(1, Self.share(of: $0, part: index, parts: count)) }
            return SessionPool(configuration: share, eventLoop: loops[index], logger: logger)
        }
        var partitionOfLoop: [ObjectIdentifier: Int] = [:]
        for (index, loop) in loops.enumerated() { partitionOfLoop[ObjectIdentifier(loop)] = index % count }
        self.partitionOfLoop = partitionOfLoop
    }

    /// One pool as the only part (tests of one pool, tools).
    public init(_ pool: SessionPool) {
        partitions = [pool]
        partitionOfLoop = [:]
    }

    /// `total` split into `parts` as evenly as whole numbers allow.
    static func share(of total: Int, part: Int, parts: Int) -> Int {
        total / parts + (part < total % parts ? 1 : 0)
    }

    /// The part for the calling thread's event loop; the first part off the loops.
    public var current: SessionPool {
        guard partitions.count > 1, let loop = MultiThreadedEventLoopGroup.currentEventLoop,
              let index = partitionOfLoop[ObjectIdentifier(loop)] else { return partitions[0] }
        return partitions[index]
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    public func shutdown() async {
        for pool in partitions { await pool.shutdown() }
    }

    /// What every part has done since it started, added up.
    public var counts: SessionPool.Counts {
        partitions.map(\.counts).reduce(SessionPool.Counts(), +)
    }

    /// Whether any part's circuit breaker refuses requests now.
    public var isBreakerOpen: Bool {
        partitions.contains { $0.isBreakerOpen }
    }

    /// Connections open now, idle ones, and requests waiting, over every part.
    public var statistics: (open: Int, idle: Int, waiting: Int) {
        partitions.map(\.statistics).reduce((0, 0, 0)) { ($0.0 + $1.open, $0.1 + $1.idle, $0.2 + $1.waiting) }
    }
}
