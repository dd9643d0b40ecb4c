import GraphQLLanguage

/// GetOperation (spec §6.1): the operation a request names, or the document's only one.
public enum OperationSelection {
    public static func select(in document: Document, named name: String?) throws(GraphQLErrors) -> OperationDefinition {
        let operations = document.operations
        if let name {
            guard let operation = operations.first(where: { $0.name?.value == name }) else {
                throw GraphQLErrors([GraphQLError("Unknown operation named \"\(name)\".", code: ErrorCode.badRequest)])
            }
            return operation
        }
        guard operations.count == 1 else {
            let message = operations.isEmpty ? "The document contains no operation."
                : "Must provide operation name if query contains multiple operations."
            throw GraphQLErrors([GraphQLError(message, code: ErrorCode.badRequest)])
        }
        return operations[0]
    }
}
