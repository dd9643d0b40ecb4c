import Foundation
import GraphQLTypeSystem
import SchemaModel
import Server
import Testing

@Suite("Token authenticator")
struct TokenAuthenticatorTests {
    func authenticator() async throws -> TokenAuthenticator {
        var settings = AuthSettings()
        settings.secret = GraphQLTestServer.secret
        settings.anonymousRole = "anonymous"
        return try await TokenAuthenticator.make(settings: settings, roles: ["anonymous", "member"])
    }

    @Test("a token verified once is remembered, and refused once it expires")
    func rememberedUntilExpiry() async throws {
        let authenticator = try await authenticator()
        let now = Date()
        let token = try await GraphQLTestServer.token([("role", .string("member")), ("tenant_id", .string("t")), ("sub", .string("u")),
                                                       ("exp", .number(String(Int(now.timeIntervalSince1970) + 60)))])
        let first = try await authenticator.session(authorization: "Bearer \(token)", now: now)
        let again = try await authenticator.session(authorization: "Bearer \(token)", now: now.addingTimeInterval(30))
        #expect(first == again)
        #expect(first.role == "member" && first.tenantID == "t" && first.userID == "u")
        await #expect(throws: RequestProblem.self) {
            _ = try await authenticator.session(authorization: "Bearer \(token)", now: now.addingTimeInterval(120))
        }
    }

    @Test("claims are found inside a namespace object whose key has dots of its own")
    func namespacedClaims() async throws {
        var settings = AuthSettings()
        settings.secret = GraphQLTestServer.secret
        settings.roleClaim = "https://example.com/claims.role"
        settings.tenantClaim = "https://example.com/claims.org.id"
        let authenticator = try await TokenAuthenticator.make(settings: settings, roles: ["member"])
        let namespace = JSONValue.object([("role", .string("member")), ("org", .object([("id", .string("t1"))]))])
        let token = try await GraphQLTestServer.token([("https://example.com/claims", namespace), ("sub", .string("u1"))])
        let session = try await authenticator.session(authorization: "Bearer \(token)")
        #expect(session.role == "member" && session.tenantID == "t1" && session.userID == "u1")
    }

    @Test("a secret shorter than the hash is refused at startup")
    func shortSecret() async throws {
        var settings = AuthSettings()
        settings.secret = "short"
        await #expect(throws: AuthConfigurationError.self) { _ = try await TokenAuthenticator.make(settings: settings, roles: ["member"]) }
    }
}
