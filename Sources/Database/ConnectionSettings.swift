import SQL

/// The settings a request's statements run under: the PostgreSQL role to assume, what
/// row-level security policies read — `app.tenant_id`, `app.user_id` and `request.jwt.claims` —
/// and the `application_name` that names a traced request in `pg_stat_activity`.
public struct ConnectionSettings: Sendable, Hashable {
    public var role: String
    public var tenantID: String
    public var userID: String
    /// The verified token's claims as JSON text.
    public var claims: String
    /// What `pg_stat_activity` shows for the connection: `strata`, or the request's trace.
    public var applicationName: String

    public init(role: String, tenantID: String?, userID: String?, claims: String, applicationName: String = "strata") {
        self.role = role
        self.tenantID = tenantID ?? ""
        self.userID = userID ?? ""
        self.claims = claims
        self.applicationName = applicationName
    }

    /// Transaction-local settings vanish at `COMMIT`; session-level ones stay on the connection.
    public enum Scope: Sendable {
        case transaction, session
    }

    /// Setting names in the order they are applied.
    public static let names = ["role", "app.tenant_id", "app.user_id", "request.jwt.claims", "application_name"]

    var values: [String] { [role, tenantID, userID, claims, applicationName] }

    /// `SELECT set_config($1, $2, local), …` — every name and value a bind.
    public func statement(scope: Scope) -> SQLSelect {
        let isLocal = SQLExpression.boolean(scope == .transaction)
        let outputs = zip(Self.names, values).map { name, value in
            SQLSelect.Output(.builtin("set_config", [.value(.text(name)), .value(.text(value)), isLocal]))
        }
        return SQLSelect(outputs)
    }
}
