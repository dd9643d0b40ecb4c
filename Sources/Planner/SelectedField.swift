import GraphQLLanguage

/// The fields a selection set asks for under one response key: after fragments are inlined and
/// `@skip`/`@include` applied, every field node with that key, whose sub-selections merge.
struct SelectedField {
    let responseKey: String
    let fields: [Field]

    var first: Field { fields[0] }
    var name: String { first.name.value }
    var location: SourceLocation { first.location.sourceLocation }

    /// An argument of the field (fields with one key have equal arguments once validated).
    func argument(_ name: String) -> InputValue? {
        first.arguments.first { $0.name.value == name }.map { InputValue.literal($0.value) }
    }

    var subselections: [SelectionSet] { fields.compactMap(\.selectionSet) }
}

/// Collects fields (spec §6.3.2 CollectFields). The API has object types only, so every fragment
/// that validation let through applies to the object at hand.
struct FieldCollector {
    let fragments: [String: FragmentDefinition]
    let variables: VariableReader

    func collect(_ selectionSets: [SelectionSet]) -> [SelectedField] {
        var order: [String] = []
        var fields: [String: [Field]] = [:]
        var visited: Set<String> = []
        func visit(_ selectionSet: SelectionSet) {
            for selection in selectionSet.selections {
                switch selection {
                case .field(let field):
                    guard isIncluded(field.directives) else { continue }
                    let key = field.responseKey
                    if fields[key] == nil { order.append(key) }
                    fields[key, default: []].append(field)
                case .inlineFragment(let fragment):
                    guard isIncluded(fragment.directives) else { continue }
                    visit(fragment.selectionSet)
                case .fragmentSpread(let spread):
                    guard isIncluded(spread.directives), visited.insert(spread.name.value).inserted,
                          let fragment = fragments[spread.name.value] else { continue }
                    visit(fragment.selectionSet)
                }
            }
        }
        selectionSets.forEach(visit)
        // `order` holds exactly the keys `visit` stored in `fields`.
        return order.map { SelectedField(responseKey: $0, fields: fields[$0]!) }
    }

    func isIncluded(_ directives: SyntaxList<Directive>) -> Bool {
        for directive in directives {
            let name = directive.name.value
            guard name == "skip" || name == "include" else { continue }
            let flag = directive.arguments.first { $0.name.value == "if" }
                .flatMap { variables.boolean(.literal($0.value)) } ?? false
            if name == "skip" && flag { return false }
            if name == "include" && !flag { return false }
        }
        return true
    }
}
