import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock on a file, shared by every Strata process on the machine.
///
/// It serializes starting and stopping the embedded cluster, so two processes never run `initdb`
/// or `pg_ctl` on the same directory at once.
final class FileLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Waits (without blocking a thread) until the lock is held.
    static func acquire(_ path: String, timeout: Duration = .seconds(120)) async throws -> FileLock {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EmbeddedClusterError("could not open lock file \(path): \(String(cString: strerror(errno)))")
        }
        let deadline = ContinuousClock.now + timeout
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline else {
                close(descriptor)
                throw EmbeddedClusterError("timed out waiting for \(path); another Strata process is starting or stopping the embedded database")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return FileLock(descriptor: descriptor)
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
