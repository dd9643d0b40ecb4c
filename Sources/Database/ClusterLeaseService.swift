import Logging
import ServiceLifecycle

/// Holds this process's lease on the embedded cluster for the life of the server.
///
/// Listed first in the service group, it is shut down last: the HTTP server has finished its
/// in-flight requests and the pool has closed before the cluster may be stopped.
public struct ClusterLeaseService: Service {
    let lease: ClusterLease
    let logger: Logger

    public init(lease: ClusterLease, logger: Logger) {
        self.lease = lease
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        // A fresh task: stopping the cluster must finish even when the group was cancelled.
        let lease = self.lease
        do {
            try await Task { try await lease.cluster.release(lease) }.value
        } catch {
            logger.error("could not stop the embedded PostgreSQL: \(error)")
        }
    }
}
