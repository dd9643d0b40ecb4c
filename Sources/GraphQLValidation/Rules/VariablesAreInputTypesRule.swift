import GraphQLLanguage

/// Variables are of input types: scalars, enums or input objects (spec §5.8.2, Variables Are Input Types).
enum VariablesAreInputTypesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for operation in context.document.operations {
            for variable in operation.variableDefinitions {
                guard let type = context.schema.type(named: variable.type.namedType.value), !type.isInput else { continue }
                context.report("Variable \"$\(variable.variable.value)\" cannot be non-input type \"\(Printer.print(variable.type))\".",
                               [variable.type.location])
            }
        }
    }
}
