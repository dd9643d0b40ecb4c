import Foundation
import TestSupport

/// `strata serve` on a project's YAML against a test database, as strata_authenticator, with a
/// token of one role: a client's view of the project.
struct ServedProject {
    static let secret = ["STRATA_JWT_SECRET": "served-project-secret-of-thirty-two-bytes"]

    /// `strata.yaml` of a project served to one role, `admin`, with HS256 tokens.
    static let adminSettings = """
        auth:
          jwt: { algorithms: [HS256], secret: "${STRATA_JWT_SECRET:-}" }
          claims: { role: role, user_id: sub }
          default_role: admin
        roles:
          admin: {}
        """

    /// Writes `<project>/schema/strata.yaml` and `<project>/schema/tables/<name>.yaml` for each
    /// of `tables`; returns the schema directory.
    static func writeSchema(in project: String, settings: String = adminSettings, tables: [String: String]) throws -> String {
        let schema = project + "/schema"
        try FileManager.default.createDirectory(atPath: schema + "/tables", withIntermediateDirectories: true)
        try settings.write(toFile: schema + "/strata.yaml", atomically: true, encoding: .utf8)
        for (name, text) in tables {
            try text.write(toFile: schema + "/tables/\(name).yaml", atomically: true, encoding: .utf8)
        }
        return schema
    }
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
