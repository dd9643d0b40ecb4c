import GraphQLLanguage

/// Each named operation has a name of its own (spec §5.2.1.1, Operation Name Uniqueness).
enum UniqueOperationNamesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        var seen: [String: Name] = [:]
        for operation in context.document.operations {
            guard let name = operation.name else { continue }
            if let first = seen[name.value] {
                context.report("There can be only one operation named \"\(name.value)\".", [first.location, name.location])
            } else {
                seen[name.value] = name
            }
        }
    }
}
