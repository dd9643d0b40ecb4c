import Crypto
import Database
import Foundation

/// The HS256 secret `strata dev` signs and checks development tokens with when the project sets
/// none: generated once, kept in the data directory (readable by its owner only), so
/// `strata token --data-dir D` mints tokens that server accepts.
enum DevelopmentSecret {
    static func path(in dataDirectory: String) -> String { dataDirectory + "/jwt-secret" }

    static func existing(in dataDirectory: String) -> String? {
        guard let text = try? String(contentsOfFile: path(in: dataDirectory), encoding: .utf8) else { return nil }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return secret.isEmpty ? nil : secret
    }

    static func loadOrCreate(in dataDirectory: String) throws -> String {
        if let secret = existing(in: dataDirectory) { return secret }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Hex.encode($0) }
        let file = path(in: dataDirectory)
        guard FileManager.default.createFile(atPath: file, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw LaunchError(message: "could not write the development secret to \(file)")
        }
        return secret
    }
}
