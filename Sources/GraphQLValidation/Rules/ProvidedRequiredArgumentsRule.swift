import GraphQLLanguage

/// Required arguments (non-null, no default) are given (spec §5.4.2.1, Required Arguments).
enum ProvidedRequiredArgumentsRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for visit in context.fields {
            guard let definition = visit.definition else { continue }
            let given = Set(visit.field.arguments.map(\.name.value))
            for argument in definition.arguments where argument.isRequired && !given.contains(argument.name) {
                context.report("Field \"\(definition.name)\" argument \"\(argument.name)\" of type \"\(argument.type)\" is required, but it was not provided.",
                               [visit.field.location])
            }
        }
        for visit in context.directives {
            guard let definition = context.schema.directive(named: visit.directive.name.value) else { continue }
            let given = Set(visit.directive.arguments.map(\.name.value))
            for argument in definition.arguments where argument.isRequired && !given.contains(argument.name) {
                context.report("Directive \"@\(definition.name)\" argument \"\(argument.name)\" of type \"\(argument.type)\" is required, but it was not provided.",
                               [visit.directive.location])
            }
        }
    }
}
