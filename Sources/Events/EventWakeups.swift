import Database
import Logging
import PostgresNIO
import ServiceLifecycle

/// The moments to look for new change events: each `strata_events` notification, and every
/// `pollInterval` in case one was missed (as while reconnecting). The stream ends at graceful
/// shutdown or cancellation.
enum EventWakeups {
    static func run(endpoint: DatabaseEndpoint, pollInterval: Duration, logger: Logger,
                    _ body: @Sendable (AsyncStream<Void>) async -> Void) async throws {
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await listen(endpoint: endpoint, pollInterval: pollInterval, logger: logger, wake) }
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

    /// Yields at every notification, reconnecting after a lost connection.
    private static func listen(endpoint: DatabaseEndpoint, pollInterval: Duration, logger: Logger,
                               _ wake: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            do {
                try await endpoint.withConnection(logger: logger) { connection in
                    for try await _ in try await connection.listen("strata_events") { wake.yield() }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for change events failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: pollInterval)
        }
    }
}
