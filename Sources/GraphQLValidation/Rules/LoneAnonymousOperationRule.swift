import GraphQLLanguage

/// An anonymous operation must be the only operation in its document (spec §5.2.2.1, Lone Anonymous Operation).
enum LoneAnonymousOperationRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        let operations = context.document.operations
        guard operations.count > 1 else { return }
        for operation in operations where operation.name == nil {
            context.report("This anonymous operation must be the only defined operation.", [operation.location])
        }
    }
}
