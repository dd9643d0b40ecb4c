import APISchema
import Database
import Foundation
import GraphQLLanguage
import GraphQLTypeSystem
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import PostgresNIO
import SchemaModel
import Server
import TestSupport

/// The demo API served over the demo data, with an HS256 secret for minting tokens.
struct GraphQLTestServer {
    static let secret = "a-secret-for-tests-that-is-long-enough-for-hs256"
    static let acme = DemoTenants.acme
    static let alan = "10000000-0000-4000-8000-000000000002"

    let server: StrataHTTPServer
    let pool: SessionPools
    let database: TestDatabase
    let executor: GraphQLExecutor
    let authenticator: TokenAuthenticator
    /// The live queries' hub, listening, when started with `live: true`.
    let hub: SubscriptionHub?
    private let listening: Task<Void, any Error>?

    static func start(maximumBodySize: Int = 64 * 1024,
                      // Generous: the live test client keeps one connection, and a loaded test
                      // machine may leave it silent for a while between requests (or a socket
                      // between its upgrade and its connection_init).
                      requestHeadTimeout: Duration = .seconds(300), idleTimeout: Duration = .seconds(300),
                      requestTimeout: Duration? = .seconds(30), sockets: SocketSettings = SocketSettings(initTimeout: .seconds(120)), live: Bool = false,
                      rateLimits: [String: RoleRateLimits] = [:], trustedDocuments: TrustedDocumentsMode = .off,
                      auth: (inout AuthSettings) -> Void = { _ in }, console: Bool = false, acquireTimeout: Duration = .seconds(2),
                      rateClock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) async throws -> GraphQLTestServer {
        let database = try await TestCluster.shared.makeDatabase()
        let logger = Logger(label: "strata.test")
        try await database.loadDemoData()
        var project = try SchemaProject.load(directory: ProjectFiles.root + "/schema", environment: [:])
        project.settings.auth.secret = secret
        auth(&project.settings.auth)
        let roles = Set(project.roleNames)
        // One connection per event loop: requests run where their connection lives.
        let pool = SessionPools(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), maximumConnections: 2,
                                                     statementTimeoutMilliseconds: 60_000, roles: roles, acquireTimeout: acquireTimeout),
                                  logger: logger)
        let apis = try RoleSchema.buildAll(project)
        let trusted = TrustedDocuments(mode: trustedDocuments, entries: try TrustedDocuments.load(
            directory: ProjectFiles.root + "/queries", displayDirectory: "queries", apis: apis).get())
        let executor = GraphQLExecutor(apis: apis, pools: pool, limits: .default, logger: logger, trusted: trusted)
        let authenticator = try await TokenAuthenticator.make(settings: project.settings.auth, roles: roles,
                                                              requirements: project.sessionRequirements)
        let hub = live ? SubscriptionHub(endpoint: database.endpoint(), logger: logger) : nil
        let listening = hub.map { hub in Task { try await hub.run() } }
        if let hub {
            for _ in 0..<200 where !hub.isListening { try await Task.sleep(for: .milliseconds(50)) }
        }
        let endpoint = GraphQLEndpoint(executor: executor, authenticator: authenticator, maximumBodySize: maximumBodySize,
                                       socketSettings: sockets, hub: hub, rateLimiter: RateLimiter(limits: rateLimits, clock: rateClock),
                                       console: console)
        let server = StrataHTTPServer(configuration: .init(port: 0, requestHeadTimeout: requestHeadTimeout, idleTimeout: idleTimeout,
                                                                  requestTimeout: requestTimeout), readiness: AlwaysReady(), graphQL: endpoint, logger: logger)
        return GraphQLTestServer(server: server, pool: pool, database: database, executor: executor, authenticator: authenticator,
                                 hub: hub, listening: listening)
    }

    /// Runs `body` against the serving server, then stops the hub and the pool however it ended.
    func serving(_ body: @Sendable (LiveClient) async throws -> Void) async throws {
        do {
            try await server.test(body)
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// Stops the hub and closes the pool's connections.
    func stop() async {
        listening?.cancel()
        await pool.shutdown()
    }

    /// An HS256 token with these claims.
    static func token(_ claims: [(String, JSONValue)], secret: String = secret, digest: DigestAlgorithm = .sha256) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: digest)
        return try await keys.sign(ClaimSet(claims))
    }

    static func memberToken(expiresIn seconds: Int = 600) async throws -> String {
        let now = Int(Date().timeIntervalSince1970)
        return try await token([("role", .string("member")), ("tenant_id", .string(acme)), ("sub", .string(alan)),
                                ("exp", .number(String(now + seconds)))])
    }
}
