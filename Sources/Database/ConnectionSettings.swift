import SQL

/// The settings a request's statements run under: the PostgreSQL role to assume, and what
/// row-level security policies read — `app.tenant_id`, `app.user_id` and `request.jwt.claims`.
public struct ConnectionSettings: Sendable, Hashable {
    public var role: String
    public var tenantID: String
    public var userID: String
    /// The verified token's claims as JSON text.
    public var claims: String

    public init(role: String, tenantID: String?, userID: String?, claims: String) {
        self.role = role
        self.tenantID = tenantID ?? ""
        self.userID = userID ?? ""
        self.claims = claims
    }

    /// Transaction-local settings vanish at `COMMIT`; session-level ones stay on the connection.
    public enum Scope: Sendable {
        case transaction, session
    }

    /// Setting names in the order they are applied.
    public static let names = ["role", "app.tenant_id", "app.user_id", "request.jwt.claims"]

    var values: [String] { [role, tenantID, userID, claims] }

    /// `SELECT set_config($1, $2, local), …` — every name and value a bind.
    public func statement(scope: Scope) -> SQLSelect {
        let isLocal = SQLExpression.boolean(scope == .transaction)
        let outputs = zip(Self.names, values).map { name, value in
            SQLSelect.Output(.builtin("set_config", [.value(.text(name)), .value(.text(value)), isLocal]))
        }
        return SQLSelect(outputs)
    }
}
