import GraphQLLanguage
import Foundation
import GraphQLTypeSystem
import JWTKit
import Planner
import SchemaModel
import Synchronization

/// Turns a request's `Authorization` header into its session: a bearer JWT signed with one of
/// the accepted algorithms (HS256/384/512 with the project's secret; RS256 or ES256 with keys
/// from a JWKS or PEM file), not expired, already valid, from the configured issuer for the
/// configured audience; its claims mapped to role, tenant and user as the YAML says. No header
/// means the anonymous role, when the project has one.
public final class TokenAuthenticator: Sendable {
    let settings: AuthSettings
    let roles: Set<String>
    /// What each role's session must carry (a tenant of the tenant columns' type, a user).
    let requirements: [String: SessionRequirements]
    /// One key collection per accepted algorithm, chosen by the token header's `alg`.
    let keys: [String: JWTKeyCollection]
    /// Tolerated clock difference for `exp` and `nbf`.
    let leeway: TimeInterval = 30
    /// Sessions of tokens already verified, by the whole `Authorization` header that carried
    /// them (the token's signature included), with their expiry: a client sends the same header
    /// with every request, and checking a signature costs more than the rest of a small query.
    private let verified = Mutex(VerifiedTokens())
    static let verifiedCapacity = 10_000
    /// Headers longer than this are verified every time rather than remembered, so the cache
    /// holds at most `verifiedCapacity` × this many bytes of them.
    static let rememberedTokenLength = 4_096

    struct VerifiedTokens {
        var sessions: [Token: (session: Session, expiry: Double?)] = [:]
    }

    /// An `Authorization` header as the cache's key: equal by its whole text, hashed by its last
    /// bytes — the end of its token's signature, which differs between any two tokens an issuer
    /// signs — so a lookup hashes 32 bytes rather than the whole header. Only headers of verified
    /// tokens are stored, so nobody without the issuer's key can fill the cache with colliding ones.
    struct Token: Hashable {
        let text: String

        static func == (left: Token, right: Token) -> Bool { left.text == right.text }

        func hash(into hasher: inout Hasher) {
            let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
                hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(32))))
            }
            if hashed == nil { hasher.combine(text) }
        }
    }

    init(settings: AuthSettings, roles: Set<String>, keys: [String: JWTKeyCollection],
         requirements: [String: SessionRequirements] = [:]) {
        self.settings = settings
        self.roles = roles
        self.keys = keys
        self.requirements = requirements
    }

    /// Reads the keys the settings name. `secret` overrides the settings' (the one `strata dev`
    /// keeps in its data directory).
    public static func make(settings: AuthSettings, roles: Set<String>, requirements: [String: SessionRequirements] = [:],
                            secret: String? = nil) async throws -> TokenAuthenticator {
        var keys: [String: JWTKeyCollection] = [:]
        let secret = secret ?? settings.secret
        for algorithm in settings.algorithms {
            let collection = JWTKeyCollection()
            switch algorithm {
            case "HS256", "HS384", "HS512":
                guard let secret, !secret.isEmpty else {
                    throw AuthConfigurationError("\(algorithm) needs auth.jwt.secret (or STRATA_JWT_SECRET)")
                }
                try checkSecretLength(secret, for: algorithm)
                let digest: DigestAlgorithm = algorithm == "HS256" ? .sha256 : algorithm == "HS384" ? .sha384 : .sha512
                await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: digest)
            case "RS256", "ES256":
                if let path = settings.jwksFile {
                    let text = try readKeyFile(path)
                    do {
                        try await collection.add(jwksJSON: text)
                    } catch {
                        throw AuthConfigurationError("\(path) is not a JWKS document: \(error)")
                    }
                } else if let path = settings.publicKeyFile {
                    let pem = try readKeyFile(path)
                    do {
                        if algorithm == "RS256" {
                            await collection.add(rsa: try Insecure.RSA.PublicKey(pem: pem), digestAlgorithm: .sha256)
                        } else {
                            await collection.add(ecdsa: try ES256PublicKey(pem: pem))
                        }
                    } catch {
                        throw AuthConfigurationError("\(path) does not hold a \(algorithm) public key in PEM form")
                    }
                } else {
                    throw AuthConfigurationError("\(algorithm) needs auth.jwt.jwks_file or auth.jwt.public_key_file")
                }
            default:
                throw AuthConfigurationError("unsupported JWT algorithm \(algorithm)")
            }
            keys[algorithm] = collection
        }
        return TokenAuthenticator(settings: settings, roles: roles, keys: keys, requirements: requirements)
    }

    /// A shared secret shorter than the hash it keys makes forging tokens easier (RFC 7518 §3.2).
    public static func checkSecretLength(_ secret: String, for algorithm: String) throws {
        let needed = algorithm == "HS512" ? 64 : algorithm == "HS384" ? 48 : 32
        guard secret.utf8.count >= needed else {
            throw AuthConfigurationError("the \(algorithm) secret must be at least \(needed) bytes long; it has \(secret.utf8.count)")
        }
    }

    private static func readKeyFile(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw AuthConfigurationError("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// The session of a request with this `Authorization` header (nil: none sent).
    public func session(authorization: String?, now: Date = Date()) async throws(RequestProblem) -> Session {
        try await verify(authorization: authorization, now: now).session
    }

    /// The session, and when its token expires (seconds since 1970; nil: never, or no token):
    /// a WebSocket connection keeps its session until then.
    public func verify(authorization: String?, now: Date = Date()) async throws(RequestProblem) -> (session: Session, expiry: Double?) {
        guard let authorization, !authorization.isEmpty else {
            guard let anonymous = settings.anonymousRole, roles.contains(anonymous) else {
                throw RequestProblem(.unauthorized, "This endpoint needs an Authorization: Bearer token.", code: ErrorCode.invalidJWT)
            }
            return (Session(role: anonymous), nil)
        }
        let time = now.timeIntervalSince1970
        // Looked up by the header as sent: a known one needs neither reading nor a copy of its token.
        if let known = verified.withLock({ $0.sessions[Token(text: authorization)] }) {
            guard let expiry = known.expiry, expiry + leeway <= time else { return (known.session, known.expiry) }
            verified.withLock { _ = $0.sessions.removeValue(forKey: Token(text: authorization)) }
            throw RequestProblem(.unauthorized, "The token has expired.", code: ErrorCode.invalidJWT)
        }
        guard let token = Self.bearerToken(authorization) else {
            throw RequestProblem(.unauthorized, "The Authorization header must be 'Bearer <token>'.", code: ErrorCode.invalidJWT)
        }
        let algorithm = Self.headerAlgorithm(token)
        guard let algorithm, let collection = keys[algorithm] else {
            throw RequestProblem(.unauthorized, "The token's algorithm \(algorithm.map { "'\($0)'" } ?? "(unreadable)") is not accepted; accepted: \(settings.algorithms.joined(separator: ", ")).",
                                 code: ErrorCode.invalidJWT)
        }
        let claims: ClaimSet
        do {
            claims = try await collection.verify(token, as: ClaimSet.self)
        } catch {
            throw RequestProblem(.unauthorized, "The token's signature does not verify.", code: ErrorCode.invalidJWT)
        }
        let expiry = try check(claims, now: now)
        let session = try session(from: claims)
        guard authorization.utf8.count <= Self.rememberedTokenLength else { return (session, expiry) }
        verified.withLock { cache in
            if cache.sessions.count >= Self.verifiedCapacity { cache.sessions.removeAll(keepingCapacity: true) }
            cache.sessions[Token(text: authorization)] = (session, expiry)
        }
        return (session, expiry)
    }

    /// Checks the registered claims; returns the expiry.
    private func check(_ claims: ClaimSet, now: Date) throws(RequestProblem) -> Double? {
        let time = now.timeIntervalSince1970
        let expiry = try Self.numericDate(claims, "exp")
        _ = try Self.numericDate(claims, "iat")
        if let expiry, expiry + leeway <= time {
            throw RequestProblem(.unauthorized, "The token has expired.", code: ErrorCode.invalidJWT)
        }
        if expiry == nil, settings.requireExpiry {
            throw RequestProblem(.unauthorized, "The token has no 'exp' claim; tokens must expire (auth.jwt.require_exp).", code: ErrorCode.invalidJWT)
        }
        if let notBefore = try Self.numericDate(claims, "nbf"), notBefore - leeway > time {
            throw RequestProblem(.unauthorized, "The token is not valid yet.", code: ErrorCode.invalidJWT)
        }
        if let issuer = settings.issuer, claims.value(at: "iss") != .string(issuer) {
            throw RequestProblem(.unauthorized, "The token was not issued by '\(issuer)'.", code: ErrorCode.invalidJWT)
        }
        if let audience = settings.audience {
            let matches: Bool
            switch claims.value(at: "aud") {
            case .string(let value)?: matches = value == audience
            case .array(let values)?: matches = values.contains(.string(audience))
            default: matches = false
            }
            if !matches { throw RequestProblem(.unauthorized, "The token is not meant for '\(audience)'.", code: ErrorCode.invalidJWT) }
        }
        return expiry
    }

    /// A registered time claim (RFC 7519 §2 NumericDate): absent, or a finite number of seconds.
    static func numericDate(_ claims: ClaimSet, _ name: String) throws(RequestProblem) -> Double? {
        guard let value = claims.value(at: name), value != .null else { return nil }
        guard case .number(let text) = value, let seconds = Double(text), seconds.isFinite else {
            throw RequestProblem(.unauthorized, "The token's '\(name)' claim must be a number of seconds since 1970 (a NumericDate).",
                                 code: ErrorCode.invalidJWT)
        }
        return seconds
    }

    private func session(from claims: ClaimSet) throws(RequestProblem) -> Session {
        guard let role = Self.text(claims.value(at: settings.roleClaim)) ?? settings.defaultRole else {
            throw RequestProblem(.unauthorized, "The token has no '\(settings.roleClaim)' claim and the project has no default role.", code: ErrorCode.invalidJWT)
        }
        guard roles.contains(role) else {
            throw RequestProblem(.unauthorized, "The token's role '\(role)' is not one this API serves.", code: ErrorCode.accessDenied)
        }
        let tenant = Self.text(claims.value(at: settings.tenantClaim))
        let user = Self.text(claims.value(at: settings.userClaim))
        let needs = requirements[role] ?? SessionRequirements()
        if needs.needsTenant {
            guard let tenant else {
                throw RequestProblem(.unauthorized, "The token has no '\(settings.tenantClaim)' claim, which role '\(role)' needs for its tenant.",
                                     code: ErrorCode.invalidJWT)
            }
            if let type = needs.tenantType, !TenantClaim.fits(tenant, type) {
                throw RequestProblem(.unauthorized, "The token's '\(settings.tenantClaim)' claim is not a valid \(type.sqlName).",
                                     code: ErrorCode.invalidJWT)
            }
        }
        if needs.needsUser, user == nil {
            throw RequestProblem(.unauthorized, "The token has no '\(settings.userClaim)' claim, which role '\(role)' needs for its user.",
                                 code: ErrorCode.invalidJWT)
        }
        return Session(role: role, tenantID: tenant, userID: user, claimsJSON: claims.json)
    }

    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .number(let text)?: text
        default: nil
        }
    }

    static func seconds(_ value: JSONValue?) -> Double? {
        if case .number(let text)? = value { return Double(text) }
        return nil
    }

    /// The token of an `Authorization: Bearer <token>` header (the scheme in any case, blanks
    /// around the token); nil for any other form. Read byte by byte: headers are ASCII, and a
    /// token is read on every request.
    static func bearerToken(_ header: String) -> String? {
        var header = header
        return header.withUTF8 { bytes -> String? in
            func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            var index = 0
            for expected in "bearer".utf8 {
                guard index < bytes.count, bytes[index] | 0x20 == expected else { return nil }
                index += 1
            }
            guard index < bytes.count, isBlank(bytes[index]) else { return nil }
            while index < bytes.count, isBlank(bytes[index]) { index += 1 }
            let start = index
            while index < bytes.count, !isBlank(bytes[index]) { index += 1 }
            let end = index
            while index < bytes.count, isBlank(bytes[index]) { index += 1 }
            guard start != end, index == bytes.count else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    /// The `alg` of a token's header, read without trusting it.
    static func headerAlgorithm(_ token: String) -> String? {
        guard let header = token.split(separator: ".").first else { return nil }
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), case .object(let members)? = try? JSONValue.parse(bytes: Array(data)),
              case .string(let algorithm)? = members.first(where: { $0.0 == "alg" })?.1 else { return nil }
        return algorithm
    }
}

/// Auth settings that cannot work, found at startup.
public struct AuthConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
