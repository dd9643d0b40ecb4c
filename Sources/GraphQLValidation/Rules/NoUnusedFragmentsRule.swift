import GraphQLLanguage

/// Every fragment is used by some operation, directly or through other fragments
/// (spec §5.5.1.4, Fragments Must Be Used).
enum NoUnusedFragmentsRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        var used: Set<Int> = []
        for (index, definition) in context.document.definitions.enumerated() {
            if case .operation = definition { used.formUnion(context.reachableFragments(from: index)) }
        }
        for (index, definition) in context.document.definitions.enumerated() {
            guard case .fragment(let fragment) = definition, !used.contains(index) else { continue }
            // A repeated name counts as used when its first definition is.
            if let first = context.fragmentIndex[fragment.name.value], first != index, used.contains(first) { continue }
            context.report("Fragment \"\(fragment.name.value)\" is never used.", [fragment.location])
        }
    }
}
