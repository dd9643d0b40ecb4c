import Database
import Logging
import ServiceLifecycle
import Synchronization

/// The moments to look for new change events, and where: each look of the change feed that found
/// events committed (`settled`: only once nothing can commit before them) names the tables that
/// changed, and every `pollInterval` says to look everywhere (a delivery whose retry came due, one
/// re-queued by `strata events retry`). Wakes that come while the last one is being handled are
/// merged into the next. The sequence ends at graceful shutdown or cancellation.
struct EventWakeups: AsyncSequence, Sendable {
    /// Where to look: the tables (and domain event types) that changed, or everywhere (nil).
    typealias Element = Set<String>?

    fileprivate final class Pending: Sendable {
        /// nil inside: everywhere.
        let tables = Mutex<Set<String>??>(.none)

        func add(_ changed: Set<String>?) {
            tables.withLock { pending in
                switch pending {
                case .none: pending = .some(changed)
                case .some(.none): break
                case .some(.some(let known)): pending = .some(changed.map { known.union($0) })
                }
            }
        }

        func take() -> Set<String>?? {
            tables.withLock { pending in
                defer { pending = .none }
                return pending
            }
        }
    }

    private let pending: Pending
    private let signals: AsyncStream<Void>

    struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let pending: Pending
        fileprivate var signals: AsyncStream<Void>.AsyncIterator

        mutating func next() async -> Set<String>?? {
            while await signals.next() != nil {
                if let wake = pending.take() { return wake }
            }
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pending: pending, signals: signals.makeAsyncIterator())
    }

    /// `feed`: the process's feed, run elsewhere; nil: one of its own, run here.
    static func run(endpoint: DatabaseEndpoint, feed: ChangeFeed?, settled: Bool = false, pollInterval: Duration, logger: Logger,
                    _ body: @Sendable (EventWakeups) async -> Void) async throws {
        let (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let pending = Pending()
        let changes = feed ?? ChangeFeed(endpoint: endpoint, logger: logger)
        let token = changes.follow { update in
            let changed = settled ? update.settled : update.fresh
            guard !changed.isEmpty else { return }
            pending.add(Set(changed.map(\.table)))
            signal.yield()
        }
        defer { changes.unfollow(token) }
        try await withThrowingDiscardingTaskGroup { group in
            if feed == nil { group.addTask { try await changes.run() } }
            group.addTask {
                while !Task.isCancelled {
                    pending.add(nil)
                    signal.yield()
                    try? await Task.sleep(for: pollInterval)
                }
            }
            await withGracefulShutdownHandler {
                await body(EventWakeups(pending: pending, signals: signals))
            } onGracefulShutdown: {
                signal.finish()
            }
            group.cancelAll()
        }
    }
}
