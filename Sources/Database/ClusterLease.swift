import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One process's claim on the embedded cluster: a file named `<pid>.<id>` in the lease directory.
public struct ClusterLease: Sendable {
    public let path: String
    public let cluster: EmbeddedCluster

    static func register(in directory: String, cluster: EmbeddedCluster) throws -> ClusterLease {
        let path = "\(directory)/\(getpid()).\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw EmbeddedClusterError("could not write the lease file \(path)")
        }
        return ClusterLease(path: path, cluster: cluster)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Leases whose process is still alive; the files of dead processes are deleted on the way.
    static func liveLeases(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            guard let pid = name.split(separator: ".").first.flatMap({ pid_t($0) }) else { return false }
            if kill(pid, 0) == 0 || errno == EPERM { return true }
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
            return false
        }
    }
}
