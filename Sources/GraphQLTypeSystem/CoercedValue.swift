/// An input value after coercion to its GraphQL type: what the planner binds into SQL.
public enum CoercedValue: Sendable, Hashable {
    case null
    case int(Int32)
    case float(Double)
    case string(String)
    case boolean(Bool)
    /// An ID, which may arrive as a string or an integer but is always a string afterwards.
    case id(String)
    case enumValue(String)
    case list([CoercedValue])
    /// Input object fields in the type's order, defaults filled in.
    case object([String: CoercedValue])
    /// A custom scalar's value, passed on as given.
    case custom(JSONValue)
}
