import NIOCore

/// Runs Swift tasks on one NIO event loop: a task started with this executor as its preference
/// runs its nonisolated code, and resumes after every `await`, on the loop's own thread. A
/// request's task therefore stays on the thread that read its bytes, that owns its database
/// connection and that writes its response — no wake-up of another thread on the way.
///
/// What runs here must not block: the loop serves every other connection it owns meanwhile.
final class EventLoopExecutor: TaskExecutor, @unchecked Sendable {
    // Sendable: `EventLoop` is Sendable and nothing here changes after `init`.
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
