import Foundation

/// The PostgreSQL server programs the embedded cluster needs.
public struct PostgresBinaries: Sendable, Equatable {
    public var initdb: String
    public var pgCtl: String
    public var directory: String

    /// Looks on `PATH` first, then in Debian's versioned `/usr/lib/postgresql/<major>/bin`, newest first.
    public static func locate(
        path: String = ProcessInfo.processInfo.environment["PATH"] ?? "",
        packageRoot: String = "/usr/lib/postgresql"
    ) throws -> PostgresBinaries {
        var candidates = path.split(separator: ":").map(String.init)
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot)) ?? []
        candidates += versions
            .compactMap { version in Int(version).map { ($0, version) } }
            .sorted { $0.0 > $1.0 }
            .map { "\(packageRoot)/\($0.1)/bin" }
        for directory in candidates {
            let names = ["initdb", "pg_ctl", "postgres"].map { "\(directory)/\($0)" }
            if names.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }) {
                return PostgresBinaries(initdb: names[0], pgCtl: names[1], directory: directory)
            }
        }
        throw EmbeddedClusterError(
            "PostgreSQL server programs (initdb, pg_ctl, postgres) were not found on PATH or under \(packageRoot)/*/bin. Install them with `apt-get install postgresql`, or set DATABASE_URL to use an existing server.")
    }
}
