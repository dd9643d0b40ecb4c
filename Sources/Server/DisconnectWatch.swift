import Database
import Hummingbird
import NIOCore
import NIOPosix
import Synchronization

/// Watches a request's connection while its statement runs, so that a client hanging up cancels
/// the statement. Watching reads the connection to its end, which costs it its keep-alive, so
/// the watch only starts once the request has run for `delay`: fast requests pay for a timer on
/// the event loop and nothing else.
final class DisconnectWatch: Sendable {
    private enum State {
        case waiting(Scheduled<Void>?)
        case watching(Task<Void, Never>)
        case finished
    }

    /// What the request's query listens to.
    let cancellation = QueryCancellation()
    private let state = Mutex(State.waiting(nil))

    init(body: RequestBody, delay: Duration) {
        let cancellation = self.cancellation
        let scheduled = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(delay)) {
            [weak self] () -> Void in
            self?.watch(body, cancellation: cancellation)
        }
        state.withLock { state in
            if case .waiting = state { state = .waiting(scheduled) } else { scheduled.cancel() }
        }
    }

    private func watch(_ body: RequestBody, cancellation: QueryCancellation) {
        state.withLock { state in
            guard case .waiting = state else { return }
            state = .watching(Task {
                _ = try? await body.consumeWithInboundCloseHandler { _ in
                    // Until `finish` cancels this task.
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
                } onInboundClosed: {
                    cancellation.cancel()
                }
            })
        }
    }

    /// The request is done: stops the timer, or the watch (waiting for it to let go of the
    /// connection before the response is written).
    func finish() async {
        let watcher = state.withLock { state -> Task<Void, Never>? in
            defer { state = .finished }
            switch state {
            case .waiting(let scheduled):
                scheduled?.cancel()
                return nil
            case .watching(let task):
                return task
            case .finished:
                return nil
            }
        }
        guard let watcher else { return }
        watcher.cancel()
        await watcher.value
    }
}
