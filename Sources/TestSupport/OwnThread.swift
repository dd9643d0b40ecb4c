import Foundation

/// Blocking work run on a thread of its own. Swift's cooperative pool has one thread per core
/// — two on a small CI machine — so a test that blocks one of them (a child process, a socket
/// read) stalls every other test's tasks, and with them the timing those tests check.
public enum OwnThread {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }
}

extension Process {
    /// Waits for the process to end, off the cooperative pool, and returns its exit status.
    public func exited() async -> Int32 {
        let process = self
        return (try? await OwnThread.run {
            process.waitUntilExit()
            return process.terminationStatus
        }) ?? -1
    }
}
