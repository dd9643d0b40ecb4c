import ArgumentParser
import Foundation
import GraphQLTypeSystem
import JWTKit
import Server

/// Mints a development token signed with the project's HS secret (or, with `--data-dir`, the
/// one `strata dev` keeps there), carrying the claims the YAML maps to role, tenant and user.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Mint a development JWT for a tenant, user and role.",
        discussion: """
            Signs with auth.jwt.secret from strata.yaml, or else with the secret `strata dev` keeps in
            --data-dir, so the token works against that dev server:
              curl -H "Authorization: Bearer $(strata token --tenant T --user U --role member)" …
            """)

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("The tenant id the token carries.", valueName: "id"))
    var tenant: String?

    @Option(help: ArgumentHelp("The user id the token carries.", valueName: "id"))
    var user: String?

    @Option(help: ArgumentHelp("The role; one of strata.yaml's roles.", valueName: "role"))
    var role: String

    @Option(help: ArgumentHelp("Seconds until the token expires (default 3600).", valueName: "seconds"))
    var ttl: Int = 3600

    @Option(name: .customLong("claim"), help: ArgumentHelp(
        "A custom claim, repeatable: key=value, the value read as JSON when it is JSON (42, true, [\"a\"], {\"k\":1}) and as text otherwise.",
        valueName: "key=value"))
    var customClaims: [String] = []

    func run() async throws {
        let settings = try project.settings()
        let auth = settings.auth
        guard settings.roles.contains(where: { $0.name == role }) else {
            throw UsageError(message: "unknown role '\(role)'; strata.yaml serves \(settings.roles.map(\.name).joined(separator: ", "))")
        }
        guard ttl > 0 else { throw UsageError(message: "--ttl must be a positive number of seconds") }
        guard let algorithm = auth.algorithms.first(where: { $0.hasPrefix("HS") }) else {
            throw UsageError(message: "strata token signs with a shared secret, but strata.yaml accepts only \(auth.algorithms.joined(separator: ", "))")
        }
        let configured = auth.secret.flatMap { $0.isEmpty ? nil : $0 }
        guard let secret = configured ?? DevelopmentSecret.existing(in: project.resolvedDataDirectory) else {
            throw UsageError(message: "no secret to sign with: set auth.jwt.secret (STRATA_JWT_SECRET), or run `strata dev` with this --data-dir first")
        }
        do {
            try TokenAuthenticator.checkSecretLength(secret, for: algorithm)
        } catch {
            throw UsageError(message: "\(error)")
        }
        let now = Int(Date().timeIntervalSince1970)
        var claims: [(String, JSONValue)] = [(auth.roleClaim, .string(role))]
        if let tenant { claims.append((auth.tenantClaim, .string(tenant))) }
        if let user { claims.append((auth.userClaim, .string(user))) }
        claims += [("iat", .number(String(now))), ("exp", .number(String(now + ttl)))]
        if let issuer = auth.issuer { claims.append(("iss", .string(issuer))) }
        if let audience = auth.audience { claims.append(("aud", .string(audience))) }
        for (key, value) in try Self.parse(customClaims) {
            guard !claims.contains(where: { $0.0 == key }) else {
                throw UsageError(message: "--claim \(key)=… sets a claim the token already carries (\(claims.map(\.0).joined(separator: ", ")))")
            }
            claims.append((key, value))
        }
        let keys = JWTKeyCollection()
        let digest: DigestAlgorithm = algorithm == "HS384" ? .sha384 : algorithm == "HS512" ? .sha512 : .sha256
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: digest)
        print(try await keys.sign(ClaimSet(claims)))
    }

    /// `key=value` pairs, each value JSON when it parses as JSON, else text.
    static func parse(_ pairs: [String]) throws -> [(String, JSONValue)] {
        var claims: [(String, JSONValue)] = []
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw UsageError(message: "--claim needs key=value, got '\(pair)'")
            }
            let key = String(pair[..<equals]), text = String(pair[pair.index(after: equals)...])
            guard !claims.contains(where: { $0.0 == key }) else { throw UsageError(message: "--claim \(key) is given twice") }
            claims.append((key, (try? JSONValue.parse(text)) ?? .string(text)))
        }
        return claims
    }
}
