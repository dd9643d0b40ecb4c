import Database
import Logging
import ServiceLifecycle

/// The moments to look for new change events: each look of the change feed that found events
/// committed (`settled`: only once nothing can commit before them), and every `pollInterval`
/// whatever it found (a delivery whose retry came due, one re-queued by `strata events retry`).
/// The stream ends at graceful shutdown or cancellation.
enum EventWakeups {
    /// `feed`: the process's feed, run elsewhere; nil: one of its own, run here.
    static func run(endpoint: DatabaseEndpoint, feed: ChangeFeed?, settled: Bool = false, pollInterval: Duration, logger: Logger,
                    _ body: @Sendable (AsyncStream<Void>) async -> Void) async throws {
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let changes = feed ?? ChangeFeed(endpoint: endpoint, logger: logger)
        let token = changes.follow { update in
            if !(settled ? update.settled : update.fresh).isEmpty { wake.yield() }
        }
        defer { changes.unfollow(token) }
        try await withThrowingDiscardingTaskGroup { group in
            if feed == nil { group.addTask { try await changes.run() } }
            group.addTask {
                while !Task.isCancelled {
                    wake.yield()
                    try? await Task.sleep(for: pollInterval)
                }
            }
            await withGracefulShutdownHandler {
                await body(wakes)
            } onGracefulShutdown: {
                wake.finish()
            }
            group.cancelAll()
        }
    }
}
