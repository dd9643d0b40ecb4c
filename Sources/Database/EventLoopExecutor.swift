import NIOCore
import Synchronization

/// Runs Swift tasks on one NIO event loop: a task that prefers this executor runs its
/// nonisolated code, and resumes after every `await`, on the loop's own thread. A request's task
/// therefore stays on the thread that read its bytes, that owns its database connection and that
/// writes its response — no wake-up of another thread on the way.
///
/// One executor per loop (`of(_:)`), so that a task already preferring a loop's executor finds
/// the same one again and does not hop. What runs here must not block: the loop serves every
/// other connection it owns meanwhile.
public final class EventLoopExecutor: TaskExecutor, @unchecked Sendable {
    // Sendable: `EventLoop` is Sendable and nothing here changes after `init`.
    public let loop: any EventLoop

    private init(_ loop: any EventLoop) {
        self.loop = loop
    }

    private static let executors = Mutex<[ObjectIdentifier: EventLoopExecutor]>([:])

    /// The executor of `loop`.
    public static func of(_ loop: any EventLoop) -> EventLoopExecutor {
        executors.withLock { executors in
            if let executor = executors[ObjectIdentifier(loop)] { return executor }
            let executor = EventLoopExecutor(loop)
            executors[ObjectIdentifier(loop)] = executor
            return executor
        }
    }

    /// Whether the running task prefers this executor already — a request's task on its
    /// connection's loop does — so that asking for it again (a status record pushed and popped
    /// under the task's lock) can be skipped.
    public var isPreferred: Bool {
        withUnsafeCurrentTask { $0?.unownedTaskExecutor == asUnownedTaskExecutor() }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
