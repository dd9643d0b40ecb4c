import GraphQLLanguage

/// An operation defines each variable once (spec §5.8.1, Variable Uniqueness).
enum UniqueVariableNamesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for operation in context.document.operations {
            let groups = Dictionary(grouping: operation.variableDefinitions, by: \.variable.value)
            for definition in operation.variableDefinitions {
                let group = groups[definition.variable.value] ?? []
                guard group.count > 1, group.first?.location == definition.location else { continue }
                context.report("There can be only one variable named \"$\(definition.variable.value)\".", group.map(\.variable.location))
            }
        }
    }
}
