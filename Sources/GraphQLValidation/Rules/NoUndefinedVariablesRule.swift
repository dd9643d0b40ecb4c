import GraphQLLanguage

/// Every variable an operation uses, directly or in its fragments, is defined by it
/// (spec §5.8.3, All Variable Uses Defined).
enum NoUndefinedVariablesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for (index, definition) in context.document.definitions.enumerated() {
            guard case .operation(let operation) = definition else { continue }
            let defined = Set(operation.variableDefinitions.map(\.variable.value))
            for usage in context.recursiveVariableUsages(of: index) where !defined.contains(usage.name) {
                let message = operation.name.map { "Variable \"$\(usage.name)\" is not defined by operation \"\($0.value)\"." }
                    ?? "Variable \"$\(usage.name)\" is not defined."
                context.report(message, [usage.location, operation.location])
            }
        }
    }
}
