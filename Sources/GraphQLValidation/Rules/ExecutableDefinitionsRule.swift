import GraphQLLanguage

/// A document for execution holds only operations and fragments (spec §5.1.1, Executable Definitions).
enum ExecutableDefinitionsRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for definition in context.document.definitions where !definition.isExecutable {
            let name: String
            switch definition {
            case .schema, .schemaExtension: name = "schema"
            case .type(let type), .typeExtension(let type): name = "\"\(type.name.value)\""
            case .directive(let directive): name = "\"\(directive.name.value)\""
            case .operation, .fragment: continue
            }
            context.report("The \(name) definition is not executable.", [definition.location])
        }
    }
}
