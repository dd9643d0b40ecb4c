import GraphQLLanguage

/// An input object literal gives each field once (spec §5.6.3, Input Object Field Uniqueness).
enum UniqueInputFieldNamesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        var values = context.arguments.map(\.argument.value)
        for operation in context.document.operations {
            values += operation.variableDefinitions.compactMap(\.defaultValue)
        }
        while let value = values.popLast() {
            switch value.kind {
            case .list(let items):
                values += items
            case .object(let fields):
                var seen: [String: Name] = [:]
                for field in fields {
                    if let first = seen[field.name.value] {
                        context.report("There can be only one input field named \"\(field.name.value)\".", [first.location, field.name.location])
                    } else {
                        seen[field.name.value] = field.name
                    }
                    values.append(field.value)
                }
            default:
                break
            }
        }
    }
}
