import GraphQLTypeSystem
import SchemaModel

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

    /// A session value as text, for a bind: nil when the session lacks it.
    public func value(of value: SessionValue) -> String? {
        switch value {
        case .tenantID: return tenantID
        case .userID: return userID
        case .role: return role
        case .claim(let path):
            guard var current = try? JSONValue.parse(claimsJSON) else { return nil }
            for step in path.split(separator: ".") {
                guard case .object(let members) = current, let next = members.last(where: { $0.0 == step })?.1 else { return nil }
                current = next
            }
            switch current {
            case .null: return nil
            case .string(let text): return text
            default: return current.serialized
            }
        }
    }
}
