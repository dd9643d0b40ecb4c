import Database
import Hummingbird
import NIOCore
import NIOPosix
import Synchronization

/// Watches a request's connection while its statement runs, so that a client hanging up cancels
/// the statement, and stops a request that runs past its deadline. Watching reads the
/// connection to its end, which costs it its keep-alive, so the watch (and the deadline's timer)
/// only start once the request has run for `delay`: fast requests pay for one timer on the
/// event loop and nothing else.
final class DisconnectWatch: Sendable {
    private enum State {
        case waiting(Scheduled<Void>?)
        case watching(Task<Void, Never>, deadline: Scheduled<Void>?)
        case finished
    }

    /// What the request's query listens to.
    let cancellation = QueryCancellation()
    private let state = Mutex(State.waiting(nil))
    private let expired = Mutex(false)

    init(body: RequestBody, delay: Duration, deadline: Duration?) {
        let cancellation = self.cancellation
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let scheduled = loop.scheduleTask(in: TimeAmount(delay)) { [weak self] () -> Void in
            self?.watch(body, cancellation: cancellation, remaining: deadline.map { $0 - delay }, on: loop)
        }
        state.withLock { state in
            if case .waiting = state { state = .waiting(scheduled) } else { scheduled.cancel() }
        }
    }

    /// Whether the request was stopped because it ran past its deadline.
    var deadlinePassed: Bool { expired.withLock { $0 } }

    private func watch(_ body: RequestBody, cancellation: QueryCancellation, remaining: Duration?, on loop: any EventLoop) {
        state.withLock { state in
            guard case .waiting = state else { return }
            let deadline = remaining.map { remaining in
                loop.scheduleTask(in: TimeAmount(max(remaining, .zero))) { [weak self] () -> Void in
                    self?.expired.withLock { $0 = true }
                    cancellation.cancel()
                }
            }
            state = .watching(Task {
                _ = try? await body.consumeWithInboundCloseHandler { _ in
                    // Until `finish` cancels this task.
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
                } onInboundClosed: {
                    cancellation.cancel()
                }
            }, deadline: deadline)
        }
    }

    /// The request is done: stops the timers, or the watch (waiting for it to let go of the
    /// connection before the response is written).
    func finish() async {
        let watcher = state.withLock { state -> Task<Void, Never>? in
            defer { state = .finished }
            switch state {
            case .waiting(let scheduled):
                scheduled?.cancel()
                return nil
            case .watching(let task, let deadline):
                deadline?.cancel()
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
