import Crypto
import Foundation

/// One SQL file under `migrations/`, named `<version>_<description>.sql`.
public struct Migration: Sendable, Equatable {
    /// The key recorded in `strata.schema_migrations`: the numeric prefix, with the set's prefix
    /// (`demo/0001` for demo data).
    public var version: String
    /// The numeric part of the version, which orders the set.
    public var number: Int
    public var name: String
    /// The path shown in messages, relative to where Strata was started when possible.
    public var displayPath: String
    public var sql: String
    /// SHA-256 of the file's bytes, hex.
    public var checksum: String

    public init(version: String, number: Int, name: String, displayPath: String, sql: String) {
        self.version = version
        self.number = number
        self.name = name
        self.displayPath = displayPath
        self.sql = sql
        self.checksum = Hex.encode(SHA256.hash(data: Data(sql.utf8)))
    }
}

/// The ordered migrations of one directory.
public struct MigrationSet: Sendable {
    public var migrations: [Migration]
    /// Prepended to every version of the set: `""` for the schema, `"demo/"` for demo data.
    public var versionPrefix: String

    public init(migrations: [Migration], versionPrefix: String = "") {
        self.migrations = migrations
        self.versionPrefix = versionPrefix
    }

    /// Whether a version recorded in the database belongs to this set.
    func owns(_ version: String) -> Bool {
        versionPrefix.isEmpty ? !version.contains("/") : version.hasPrefix(versionPrefix)
    }

    /// Reads every `*.sql` file directly inside `directory`, ordered by version.
    ///
    /// - Parameter versionPrefix: prepended to each version, keeping demo data apart from schema.
    public static func load(directory: String, versionPrefix: String = "") throws -> MigrationSet {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MigrationError(file: directory, message: "migrations directory not found")
        }
        let names = try manager.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }
        var numbered: [(Int, Migration)] = []
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let display = displayPath(path)
            let stem = String(name.dropLast(4))
            let digits = stem.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int(digits),
                  stem.count == digits.count || stem[digits.endIndex] == "_" else {
                throw MigrationError(file: display, message: "migration file names must start with a version number, like 0003_add_tasks.sql")
            }
            guard let data = manager.contents(atPath: path), let sql = String(data: data, encoding: .utf8) else {
                throw MigrationError(file: display, message: "could not be read as UTF-8 text")
            }
            let migration = Migration(version: versionPrefix + digits, number: number, name: stem,
                                      displayPath: display, sql: sql)
            if let clash = numbered.first(where: { $0.0 == number }) {
                throw MigrationError(file: display, message: "has the same version \(digits) as \(clash.1.displayPath)")
            }
            numbered.append((number, migration))
        }
        return MigrationSet(migrations: numbered.sorted { $0.0 < $1.0 }.map(\.1), versionPrefix: versionPrefix)
    }

    static func displayPath(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return absolute.hasPrefix(cwd + "/") ? String(absolute.dropFirst(cwd.count + 1)) : absolute
    }
}

/// A migration that cannot be applied, with the file (and position) it concerns.
public struct MigrationError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}
