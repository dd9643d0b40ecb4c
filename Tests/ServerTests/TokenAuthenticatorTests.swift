import Foundation
import GraphQLTypeSystem
import SchemaModel
import Server
import Testing
import TestSupport

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

    @Test("a remembered header does not vouch for another scheme with the same token; other spellings of Bearer are read")
    func rememberedHeaderOnly() async throws {
        let authenticator = try await authenticator()
        let token = try await GraphQLTestServer.token([("role", .string("member")), ("tenant_id", .string("t")), ("sub", .string("u")),
                                                       ("exp", Self.inAMinute)])
        #expect(try await authenticator.session(authorization: "Bearer \(token)").tenantID == "t")
        await #expect(throws: RequestProblem.self) { _ = try await authenticator.session(authorization: "Basic \(token)") }
        await #expect(throws: RequestProblem.self) { _ = try await authenticator.session(authorization: "Bearer \(token) extra") }
        #expect(try await authenticator.session(authorization: "bearer \t\(token) ").tenantID == "t")
        #expect(try await authenticator.session(authorization: "bearer \t\(token) ").tenantID == "t", "remembered too")
    }

    @Test("a remembered token's signature on another payload is refused, though the two end alike")
    func rememberedSignatureElsewhere() async throws {
        let authenticator = try await authenticator()
        let token = try await GraphQLTestServer.token([("role", .string("member")), ("tenant_id", .string("t")), ("sub", .string("u")),
                                                       ("exp", Self.inAMinute)])
        #expect(try await authenticator.session(authorization: "Bearer \(token)").tenantID == "t")
        let parts = token.split(separator: ".")
        let payload = Data(#"{"role":"member","tenant_id":"other","sub":"u"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let forged = "\(parts[0]).\(payload).\(parts[2])"
        await #expect(throws: RequestProblem.self, "the remembered token's last bytes, another tenant's claims") {
            _ = try await authenticator.session(authorization: "Bearer \(forged)")
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
        let token = try await GraphQLTestServer.token([("https://example.com/claims", namespace), ("sub", .string("u1")),
                                                       ("exp", .number(String(Int(Date().timeIntervalSince1970) + 60)))])
        let session = try await authenticator.session(authorization: "Bearer \(token)")
        #expect(session.role == "member" && session.tenantID == "t1" && session.userID == "u1")
    }

    @Test("a secret shorter than the hash is refused at startup")
    func shortSecret() async throws {
        var settings = AuthSettings()
        settings.secret = "short"
        await #expect(throws: AuthConfigurationError.self) { _ = try await TokenAuthenticator.make(settings: settings, roles: ["member"]) }
    }

    static let inAMinute = JSONValue.number(String(Int(Date().timeIntervalSince1970) + 60))

    /// The demo's member: a tenant of uuid type and a user are needed.
    func demoAuthenticator(_ change: (inout AuthSettings) -> Void = { _ in }) async throws -> TokenAuthenticator {
        var settings = AuthSettings()
        settings.secret = GraphQLTestServer.secret
        change(&settings)
        return try await TokenAuthenticator.make(
            settings: settings, roles: ["member"],
            requirements: ["member": SessionRequirements(needsTenant: true, needsUser: true, tenantType: ColumnType("uuid"))])
    }

    func refusal(_ authenticator: TokenAuthenticator, _ claims: [(String, JSONValue)]) async throws -> String? {
        let token = try await GraphQLTestServer.token(claims)
        do {
            _ = try await authenticator.session(authorization: "Bearer \(token)")
            return nil
        } catch {
            #expect(error.kind == .unauthorized)
            return error.message
        }
    }

    static let member: [(String, JSONValue)] = [("role", .string("member")), ("tenant_id", .string("00000000-0000-4000-8000-000000000001")),
                                                ("sub", .string("10000000-0000-4000-8000-000000000002"))]

    @Test("exp, nbf and iat that are not numbers are refused, not ignored")
    func numericDates() async throws {
        let authenticator = try await demoAuthenticator()
        for name in ["exp", "nbf", "iat"] {
            var claims = Self.member + [(name, .string("2099-01-01"))]
            if name != "exp" { claims.append(("exp", Self.inAMinute)) }
            #expect(try await refusal(authenticator, claims) == "The token's '\(name)' claim must be a number of seconds since 1970 (a NumericDate).")
        }
        #expect(try await refusal(authenticator, Self.member + [("exp", Self.inAMinute), ("iat", .number("1700000000"))]) == nil)
    }

    @Test("a token without exp is refused unless auth.jwt.require_exp is off")
    func requiredExpiry() async throws {
        #expect(try await refusal(try await demoAuthenticator(), Self.member)
            == "The token has no 'exp' claim; tokens must expire (auth.jwt.require_exp).")
        #expect(try await refusal(try await demoAuthenticator { $0.requireExpiry = false }, Self.member) == nil)
    }

    @Test("a token without the tenant or user its role needs is refused naming the claim; a tenant of the wrong type too")
    func neededClaims() async throws {
        let authenticator = try await demoAuthenticator()
        let expiring = Self.member + [("exp", Self.inAMinute)]
        #expect(try await refusal(authenticator, expiring.filter { $0.0 != "tenant_id" })
            == "The token has no 'tenant_id' claim, which role 'member' needs for its tenant.")
        #expect(try await refusal(authenticator, expiring.filter { $0.0 != "sub" })
            == "The token has no 'sub' claim, which role 'member' needs for its user.")
        let wrongType = expiring.map { $0.0 == "tenant_id" ? ("tenant_id", JSONValue.string("acme")) : $0 }
        #expect(try await refusal(authenticator, wrongType) == "The token's 'tenant_id' claim is not a valid uuid.")
        #expect(try await refusal(authenticator, expiring) == nil)
    }

    @Test("the demo project: member needs a uuid tenant and a user, anonymous nothing")
    func demoRequirements() throws {
        let project = try SchemaProject.load(directory: ProjectFiles.root + "/schema", environment: [:])
        let needs = project.sessionRequirements
        #expect(needs["member"]?.needsTenant == true)
        #expect(needs["member"]?.tenantType?.category == .uuid)
        #expect(needs["member"]?.needsUser == true)
    }
}
