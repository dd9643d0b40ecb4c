/// A value sent to PostgreSQL as a bind parameter, never as text inside the statement. Every
/// value travels as text (or an array of text) and the statement casts it to the type it needs,
/// so one prepared statement serves every value of a parameter.
public enum SQLValue: Sendable, Hashable {
    case null
    case text(String)
    /// A `text[]`.
    case textArray([String])
}

/// A `$n` placeholder: either a value the planner knows now, or a numbered parameter whose value
/// the caller supplies at execution (a variable, a session value).
public enum SQLBind: Sendable, Hashable {
    case value(SQLValue)
    case parameter(Int)
}
