import GraphQLLanguage
import GraphQLTypeSystem

/// CollectFields (spec §6.3.2) without variables: the fields a selection set yields on a type,
/// grouped by response key in order, following fragments once each and honouring literal
/// `@skip(if: true)` and `@include(if: false)`.
struct FieldCollector {
    let context: ValidationContext

    func collect(_ selectionSet: SelectionSet, on type: String) -> [(String, [Field])] {
        var groups: [(String, [Field])] = []
        var visited: Set<String> = []
        collect(selectionSet, on: type, into: &groups, visited: &visited)
        return groups
    }

    private func collect(_ selectionSet: SelectionSet, on type: String, into groups: inout [(String, [Field])],
                         visited: inout Set<String>) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                guard included(field.directives) else { continue }
                if let index = groups.firstIndex(where: { $0.0 == field.responseKey }) {
                    groups[index].1.append(field)
                } else {
                    groups.append((field.responseKey, [field]))
                }
            case .inlineFragment(let fragment):
                guard included(fragment.directives), applies(fragment.typeCondition?.value, to: type) else { continue }
                collect(fragment.selectionSet, on: type, into: &groups, visited: &visited)
            case .fragmentSpread(let spread):
                guard included(spread.directives), visited.insert(spread.name.value).inserted,
                      let fragment = context.fragments[spread.name.value],
                      applies(fragment.typeCondition.value, to: type) else { continue }
                collect(fragment.selectionSet, on: type, into: &groups, visited: &visited)
            }
        }
    }

    func applies(_ condition: String?, to type: String) -> Bool {
        guard let condition else { return true }
        return context.schema.isSubType(type, of: condition)
    }

    func included(_ directives: SyntaxList<Directive>) -> Bool {
        for directive in directives {
            let condition = directive.arguments.first { $0.name.value == "if" }?.value.kind
            if directive.name.value == "skip", condition == .boolean(true) { return false }
            if directive.name.value == "include", condition == .boolean(false) { return false }
        }
        return true
    }
}
