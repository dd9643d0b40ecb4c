import GraphQLLanguage

/// Every variable an operation defines is used, directly or in its fragments
/// (spec §5.8.4, All Variables Used).
enum NoUnusedVariablesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for (index, definition) in context.document.definitions.enumerated() {
            guard case .operation(let operation) = definition else { continue }
            let used = Set(context.recursiveVariableUsages(of: index).map(\.name))
            for variable in operation.variableDefinitions where !used.contains(variable.variable.value) {
                let message = operation.name.map { "Variable \"$\(variable.variable.value)\" is never used in operation \"\($0.value)\"." }
                    ?? "Variable \"$\(variable.variable.value)\" is never used."
                context.report(message, [variable.location])
            }
        }
    }
}
