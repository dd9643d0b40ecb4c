import Database
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Everything a test process writes to disk lives under `/tmp/strata-test-<pid>/`: the shared
/// cluster in `cluster/`, and per-test folders in `scratch/`. It is deleted at exit, after
/// stopping any PostgreSQL cluster inside it; a folder left by a process that died (a crash,
/// a kill -9) is cleaned the same way by the next test run.
public enum TestScratch {
    static let prefix = "strata-test-"

    public static let root: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)\(getpid())").path
        removeAbandoned()
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { TestScratch.remove(TestScratch.root) }
        return path
    }()

    /// A new empty directory for one test, named after what it holds.
    public static func directory(_ label: String) throws -> String {
        let path = "\(root)/scratch/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Stops every cluster under `path`, then deletes it.
    static func remove(_ path: String) {
        for dataDirectory in clusterDataDirectories(under: path) {
            if let cluster = try? EmbeddedCluster(dataDirectory: dataDirectory, logger: Logger(label: "strata.test")) {
                cluster.stopImmediately()
            }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Directories holding a `pg/` cluster that may be running.
    static func clusterDataDirectories(under path: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix("pg/postmaster.pid") {
                found.append(path + "/" + relative.dropLast("/pg/postmaster.pid".count))
            }
        }
        return found
    }

    static func removeAbandoned() {
        let temporary = FileManager.default.temporaryDirectory.path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            remove(temporary + "/" + name)
        }
    }
}
