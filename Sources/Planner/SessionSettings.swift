import SQL

/// The statement that gives a connection a request's settings: `role`, `app.tenant_id`,
/// `app.user_id` and `request.jwt.claims`, each through `set_config` with binds only.
public enum SessionSettings {
    /// Transaction-local settings vanish at `COMMIT`; session-level ones stay on the connection.
    public enum Scope: Sendable {
        case transaction, session
    }

    /// Setting names in the order they are applied.
    public static let names = ["role", "app.tenant_id", "app.user_id", "request.jwt.claims"]

    public static func statement(for session: Session, scope: Scope) -> SQLSelect {
        let values = [session.role, session.tenantID ?? "", session.userID ?? "", session.claimsJSON]
        let isLocal = SQLExpression.boolean(scope == .transaction)
        let outputs = zip(names, values).map { name, value in
            SQLSelect.Output(.builtin("set_config", [.value(.text(name)), .value(.text(value)), isLocal]))
        }
        return SQLSelect(outputs)
    }
}
