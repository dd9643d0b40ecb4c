/// A value sent to PostgreSQL as a bind parameter, never as text inside the statement.
public enum SQLValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case text(String)
    /// JSON text, bound as `text` and cast by the statement where needed.
    case json(String)
}
