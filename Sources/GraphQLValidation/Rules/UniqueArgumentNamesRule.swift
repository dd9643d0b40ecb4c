import GraphQLLanguage

/// A field or directive gives each argument once (spec §5.4.2, Argument Uniqueness).
enum UniqueArgumentNamesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        var argumentLists: [SyntaxList<Argument>] = context.fields.map(\.field.arguments)
        argumentLists += context.directives.map(\.directive.arguments)
        for arguments in argumentLists where arguments.count > 1 {
            let groups = Dictionary(grouping: arguments, by: \.name.value)
            for argument in arguments {
                let group = groups[argument.name.value] ?? []
                guard group.count > 1, group.first?.location == argument.location else { continue }
                context.report("There can be only one argument named \"\(argument.name.value)\".", group.map(\.name.location))
            }
        }
    }
}
