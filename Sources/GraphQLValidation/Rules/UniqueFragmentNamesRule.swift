import GraphQLLanguage

/// Each fragment has a name of its own (spec §5.5.1.1, Fragment Name Uniqueness).
enum UniqueFragmentNamesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        var seen: [String: Name] = [:]
        for fragment in context.document.fragments {
            if let first = seen[fragment.name.value] {
                context.report("There can be only one fragment named \"\(fragment.name.value)\".", [first.location, fragment.name.location])
            } else {
                seen[fragment.name.value] = fragment.name
            }
        }
    }
}
