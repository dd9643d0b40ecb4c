/// How requests are authenticated: which JWTs are accepted and how their claims become the
/// session (`role`, `tenant_id`, `user_id`).
public struct AuthSettings: Sendable, Equatable {
    /// Accepted signing algorithms: HS256, HS384, HS512, RS256, ES256.
    public var algorithms: [String] = ["HS256"]
    /// The shared secret for HS algorithms.
    public var secret: String?
    /// Public keys for RS256/ES256, as a JWKS file or a PEM file.
    public var jwksFile: String?
    public var publicKeyFile: String?
    public var issuer: String?
    /// Whether a token must carry `exp`: on by default, so no token is valid forever.
    public var requireExpiry = true
    public var audience: String?
    /// Claim names (dots for nested objects) that hold the session's values.
    public var roleClaim = "role"
    public var tenantClaim = "tenant_id"
    public var userClaim = "sub"
    /// The role of a token without a role claim.
    public var defaultRole: String?
    /// The role of a request without a token; nil refuses such requests.
    public var anonymousRole: String?

    public init() {}

    public static let supportedAlgorithms = ["HS256", "HS384", "HS512", "RS256", "ES256"]
}

/// A role the API serves. Its permissions are in the table files.
public struct RoleModel: Sendable, Equatable {
    public var name: String
    /// Whether `__schema` and `__type` answer for this role.
    public var allowsIntrospection: Bool
    /// This role's bounds on field nesting and on fields per operation; nil: the project's.
    public var maxDepth: Int?
    public var maxFields: Int?
    public var position: SourcePosition

    public init(name: String, allowsIntrospection: Bool = true, position: SourcePosition) {
        self.name = name
        self.allowsIntrospection = allowsIntrospection
        self.position = position
    }
}

/// Bounds on every request.
public struct RequestLimits: Sendable, Equatable {
    public var maxTokens = 50_000
    public var maxDepth = 128
    /// The most fields an operation may select, each fragment counted wherever it is spread.
    public var maxFields: Int?
    /// Longest a statement may run, in milliseconds.
    public var statementTimeoutMilliseconds = 5_000
    /// Rows a selection returns at most when neither the client nor the permission says fewer.
    public var maxRows: Int?

    public init() {}
}
