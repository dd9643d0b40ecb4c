import APISchema
import GraphQLLanguage
import GraphQLTypeSystem
import GraphQLValidation

/// An operation made of introspection fields, answered from a role's API as the server will:
/// parsed, validated against the role's schema, refused when the role may not introspect.
enum IntrospectionRequest {
    /// - Parameter author: answering the project's author (`strata schema print --format json`),
    ///   not a client: a role whose YAML disables introspection is answered all the same.
    static func answer(_ source: Source, api: RoleSchema, operationName: String? = nil,
                       variables: [String: JSONValue], author: Bool = false) -> Result<JSONValue, GraphQLErrors> {
        let document: Document
        do {
            document = try Parser.parse(source)
        } catch {
            return .failure(GraphQLErrors([error]))
        }
        let errors = Validator.validate(document, against: api.schema)
        guard errors.isEmpty else { return .failure(GraphQLErrors(errors)) }
        let operations = document.operations
        guard let operation = operationName.map({ name in operations.first { $0.name?.value == name } }) ?? operations.first,
              operationName != nil || operations.count == 1 else {
            return .failure(GraphQLErrors([GraphQLError("Must provide operation name if query contains multiple operations.")]))
        }
        for selection in operation.selectionSet.selections {
            guard case .field(let field) = selection, field.name.value.hasPrefix("__") else {
                return .failure(GraphQLErrors([GraphQLError("Only introspection fields (__schema, __type, __typename) can be answered here.",
                                                            locations: [selection.location.sourceLocation])]))
            }
            if !author && !api.allowsIntrospection && field.name.value != "__typename" {
                return .failure(GraphQLErrors([GraphQLError("Introspection is disabled for role '\(api.role)'.",
                                                            locations: [field.location.sourceLocation],
                                                            code: ErrorCode.introspectionDisabled)]))
            }
        }
        return .success(Introspection(schema: api.schema, document: document, variables: variables).execute(operation))
    }
}
