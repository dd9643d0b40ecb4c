import GraphQLLanguage

/// The names of every field an operation selects, at any depth, through its fragments: what a
/// mutation's write steps must return beyond the table's columns. Computed fields appear only in
/// selections (filters and orderings name columns), so a computed field whose name is not here
/// is read nowhere in the statement.
struct SelectedNames {
    private(set) var names: Set<String> = []

    init(_ selectionSet: SelectionSet, fragments: [String: FragmentDefinition]) {
        var visitedFragments: Set<String> = []
        var pending = [selectionSet]
        while let set = pending.popLast() {
            for selection in set.selections {
                switch selection {
                case .field(let field):
                    names.insert(field.name.value)
                    if let inner = field.selectionSet { pending.append(inner) }
                case .inlineFragment(let fragment):
                    pending.append(fragment.selectionSet)
                case .fragmentSpread(let spread):
                    let name = spread.name.value
                    if visitedFragments.insert(name).inserted, let fragment = fragments[name] { pending.append(fragment.selectionSet) }
                }
            }
        }
    }

    func contains(_ name: String) -> Bool { names.contains(name) }
}
