import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The OS user that owns and runs the embedded PostgreSQL cluster.
///
/// PostgreSQL refuses to start as root. When Strata itself runs as root it hands the cluster to an
/// unprivileged account (Debian's `postgres` user) and runs every cluster command through
/// `runuser` (or `setpriv`); otherwise the cluster runs as the current user.
public enum ClusterUser: Sendable, Equatable {
    case current
    case other(name: String, uid: uid_t, gid: gid_t)

    /// The user the cluster must run as, given who this process is.
    public static func forCurrentProcess(preferred name: String = "postgres") throws -> ClusterUser {
        guard geteuid() == 0 else { return .current }
        guard let entry = getpwnam(name) else {
            throw EmbeddedClusterError(
                "Strata runs as root, and PostgreSQL refuses to run as root; it needs the unprivileged OS user '\(name)' to run the embedded cluster, and there is none. Install PostgreSQL with `apt-get install postgresql` (which creates it) or run Strata as a non-root user.")
        }
        return .other(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// The command line that runs `executable` as this user.
    func wrap(executable: String, arguments: [String]) -> (String, [String]) {
        switch self {
        case .current:
            return (executable, arguments)
        case .other(let name, _, _):
            if let runuser = Self.find("runuser") {
                return (runuser, ["-u", name, "--", executable] + arguments)
            }
            let setpriv = Self.find("setpriv") ?? "/usr/bin/setpriv"
            return (setpriv, ["--reuid=\(name)", "--regid=\(name)", "--init-groups", "--", executable] + arguments)
        }
    }

    /// Gives the user ownership of a path this process created.
    func takeOwnership(of path: String) throws {
        guard case .other(let name, let uid, let gid) = self else { return }
        guard chown(path, uid, gid) == 0 else {
            throw EmbeddedClusterError("could not hand \(path) to the '\(name)' user: \(String(cString: strerror(errno)))")
        }
    }

    private static func find(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return directories.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
