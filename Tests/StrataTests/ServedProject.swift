import Foundation
import TestSupport

/// `strata serve` on a project's YAML against a test database, as strata_authenticator, with a
/// token of one role: a client's view of the project.
struct ServedProject {
    static let secret = ["STRATA_JWT_SECRET": "served-project-secret-of-thirty-two-bytes"]
    let server: StrataProcess
    let port: Int
    let token: String

    static func start(schema: String, database: TestDatabase, role: String = "admin", tenant: String? = nil) async throws -> ServedProject {
        let server = try StrataProcess(["serve", "--port", "0", "--schema", schema, "--database-url", database.url(user: "strata_authenticator")],
                                       environment: secret)
        let serving = try await server.waitForOutput(containing: "Strata is serving")
        guard let port = HTTPProbe.port(in: serving) else { throw StrataProcessError("no port in '\(serving)'") }
        let token = try await StrataProcess.run(["token", "--schema", schema, "--role", role] + (tenant.map { ["--tenant", $0] } ?? []),
                                                environment: secret)
        return ServedProject(server: server, port: port, token: token.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The answer's body to `query` with `variables` (JSON text), its blanks removed.
    func ask(_ query: String, _ variables: String = "{}") async throws -> String {
        let body = #"{"query":"# + String(decoding: try JSONEncoder().encode(query), as: UTF8.self) + #","variables":"# + variables + "}"
        return try await HTTPProbe.graphQL(port: port, token: token, body).body.replacingOccurrences(of: " ", with: "")
    }

    /// SIGTERM; the exit status.
    func stop() async throws -> Int32 {
        server.signal(SIGTERM)
        return try await server.exitStatus()
    }
}
