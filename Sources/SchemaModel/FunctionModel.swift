/// A SQL function exposed as a root field, from its file under `schema/functions/`: it returns
/// rows of a table, which each role reads under its select permission on that table.
public struct FunctionModel: Sendable, Hashable {
    public enum Exposure: String, Sendable, Hashable {
        /// A root field of `query_root`: the function must be STABLE or IMMUTABLE.
        case query
        /// A root field of `mutation_root`, run in the mutation's transaction: VOLATILE.
        case mutation
    }

    /// The root field's name (`hold_money`); its arguments' input type is `<name>_args`.
    public var name: String
    public var schema: String
    public var function: String
    /// The API name of the table whose rows it returns (`SETOF schema.table`).
    public var returns: String
    public var exposedAs: Exposure
    /// In the function's order; `isNullable` marks an argument a client may leave out, which
    /// the function's own default then fills.
    public var arguments: [ColumnModel]
    /// The roles that may call it (each also needs select permission on `returns`).
    public var roles: [String]
    public var description: String?
    public var position: SourcePosition

    public var qualifiedName: String { "\(schema).\(function)" }
    public var argumentsTypeName: String { "\(name)_args" }
}
