/// Who a request runs as: the role, tenant and user taken from its verified token, plus the raw claims.
public struct Session: Sendable, Hashable {
    public var role: String
    public var tenantID: String?
    public var userID: String?
    /// The token's claims as JSON text, exposed to SQL as `request.jwt.claims`.
    public var claimsJSON: String

    public init(role: String, tenantID: String? = nil, userID: String? = nil, claimsJSON: String = "{}") {
        self.role = role
        self.tenantID = tenantID
        self.userID = userID
        self.claimsJSON = claimsJSON
    }
}
