import Synchronization

/// A way to cancel a query from outside the task running it, as when the client that asked for
/// it hangs up: the statement is cancelled on the server, or the wait for a connection ends, and
/// the query throws `CancellationError`. Cancelling the running task does the same.
public final class QueryCancellation: Sendable {
    private struct State {
        var cancelled = false
        var handler: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    public init() {}

    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Cancels the query, now or whenever it reaches the database; later calls do nothing.
    public func cancel() {
        let handler = state.withLock { state -> (@Sendable () -> Void)? in
            guard !state.cancelled else { return nil }
            state.cancelled = true
            defer { state.handler = nil }
            return state.handler
        }
        handler?()
    }

    /// Runs `body`; a cancel meanwhile calls `handler`, once. Cancelled before, `body` never
    /// starts: a cancel request reaching a backend between statements would be lost.
    func whileRunning<T>(onCancel handler: @escaping @Sendable () -> Void, _ body: () async throws -> T) async throws -> T {
        let cancelledAlready = state.withLock { state -> Bool in
            if !state.cancelled { state.handler = handler }
            return state.cancelled
        }
        if cancelledAlready { throw CancellationError() }
        defer { state.withLock { $0.handler = nil } }
        return try await body()
    }
}

extension Optional where Wrapped == QueryCancellation {
    /// `body`, with `handler` called on a cancel from this source or from the running task.
    public func whileRunning<T>(onCancel handler: @escaping @Sendable () -> Void, _ body: () async throws -> T) async throws -> T {
        try Task.checkCancellation()
        return try await withTaskCancellationHandler {
            if let source = self { try await source.whileRunning(onCancel: handler, body) } else { try await body() }
        } onCancel: {
            handler()
        }
    }

    var isCancelled: Bool { self?.isCancelled ?? false }
}
