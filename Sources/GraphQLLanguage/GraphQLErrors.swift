/// Several GraphQL errors reported together (a schema with many problems, a document failing
/// many validation rules).
public struct GraphQLErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [GraphQLError]

    public init(_ errors: [GraphQLError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map { error in
            let at = error.locations.map { " (\($0.line):\($0.column))" }.joined()
            return error.message + at
        }.joined(separator: "\n")
    }
}
