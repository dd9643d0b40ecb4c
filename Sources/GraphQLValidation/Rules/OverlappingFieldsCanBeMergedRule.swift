import GraphQLLanguage
import GraphQLTypeSystem

/// Fields with the same response key can be merged: the same field with the same arguments
/// unless their parents are distinct object types, and always the same response shape
/// (spec §5.3.2, Field Selection Merging). Follows graphql-js's algorithm and wording.
enum OverlappingFieldsCanBeMergedRule: ValidationRule {
    /// Far above what real operations need (hundreds), far below what would stall a server.
    static let maxComparisons = 100_000

    static func validate(_ context: inout ValidationContext) {
        // A document whose fragments spread themselves is refused by NoFragmentCyclesRule;
        // comparing its fields would follow the cycle through sub-selections without end.
        var cycles = NoFragmentCyclesRule.CycleSearch(context: context)
        for fragment in context.document.fragments { cycles.visit(fragment) }
        guard cycles.cycles.isEmpty else { return }
        let search = OverlapSearch(schema: context.schema, fragments: context.fragments,
                                   budget: context.collector.maximum + 1, maxComparisons: maxComparisons)
        var sets: [(String?, SelectionSet)] = []
        for definition in context.document.definitions {
            switch definition {
            case .operation(let operation):
                collectSets(operation.selectionSet, parentType: context.schema.rootTypeName(for: operation.operation), into: &sets, context)
            case .fragment(let fragment):
                let type = context.schema.type(named: fragment.typeCondition.value)?.isComposite == true ? fragment.typeCondition.value : nil
                collectSets(fragment.selectionSet, parentType: type, into: &sets, context)
            default:
                break
            }
        }
        for (parentType, selectionSet) in sets {
            let conflicts = search.conflictsWithin(selectionSet, parentType: parentType)
            if search.isOverBudget {
                context.report("The document has too many fields with the same response name to check that they can be merged (more than \(maxComparisons) comparisons). Use fewer repeated fields or distinct aliases.",
                               [selectionSet.location])
                return
            }
            for conflict in conflicts {
                context.report("Fields \"\(conflict.responseName)\" conflict because \(conflict.reason.message). Use different aliases on the fields to fetch both if this was intentional.",
                               (conflict.fields1 + conflict.fields2).map(\.location))
                if context.isExhausted { return }
            }
        }
    }

    /// Every selection set with the type it selects on (graphql-js visits each one).
    static func collectSets(_ set: SelectionSet, parentType: String?, into sets: inout [(String?, SelectionSet)],
                            _ context: ValidationContext) {
        sets.append((parentType, set))
        for selection in set.selections {
            switch selection {
            case .field(let field):
                guard let inner = field.selectionSet else { continue }
                let definition = parentType.flatMap { context.schema.field(on: $0, named: field.name.value) }
                let type = definition.flatMap { context.schema.type(named: $0.type.namedType)?.isComposite == true ? $0.type.namedType : nil }
                collectSets(inner, parentType: type, into: &sets, context)
            case .inlineFragment(let fragment):
                let type = fragment.typeCondition.map { context.schema.type(named: $0.value)?.isComposite == true ? $0.value : nil } ?? parentType
                collectSets(fragment.selectionSet, parentType: type, into: &sets, context)
            case .fragmentSpread:
                break
            }
        }
    }
}

/// Why two fields conflict: a message, or the conflicts among their subfields.
indirect enum ConflictReason {
    case message(String)
    case subfields([(String, ConflictReason)])

    var message: String {
        switch self {
        case .message(let text): text
        case .subfields(let reasons):
            reasons.map { "subfields \"\($0.0)\" conflict because \($0.1.message)" }.joined(separator: " and ")
        }
    }
}

struct FieldConflict {
    var responseName: String
    var reason: ConflictReason
    var fields1: [Field]
    var fields2: [Field]
}
