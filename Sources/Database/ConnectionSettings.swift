import SQL

/// The settings a request's statements run under: the PostgreSQL role to assume, what
/// row-level security policies read — `app.tenant_id`, `app.user_id` and `request.jwt.claims` —
/// and the `application_name` that names a traced request in `pg_stat_activity`.
///
/// Immutable, and a class: a request hands one reference from the executor to the pool and its
/// connection instead of copying five strings at each step. Equal settings are equal by value.
public final class ConnectionSettings: Sendable, Hashable {
    public let role: String
    public let tenantID: String
    public let userID: String
    /// The verified token's claims as JSON text.
    public let claims: String
    /// What `pg_stat_activity` shows for the connection: `strata`, or the request's trace.
    public let applicationName: String

    public init(role: String, tenantID: String?, userID: String?, claims: String, applicationName: String = "strata") {
        self.role = role
        self.tenantID = tenantID ?? ""
        self.userID = userID ?? ""
        self.claims = claims
        self.applicationName = applicationName
    }

    public static func == (left: ConnectionSettings, right: ConnectionSettings) -> Bool {
        left === right || (left.role == right.role && left.tenantID == right.tenantID && left.userID == right.userID
                           && left.claims == right.claims && left.applicationName == right.applicationName)
    }

    /// The tenant and the user: who the settings are for. The claims, long and nearly always the
    /// user's, are left to `==`, which compares everything.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(tenantID)
        hasher.combine(userID)
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
