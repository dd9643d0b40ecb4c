import GraphQLLanguage
import GraphQLTypeSystem

/// Types named in variable definitions and type conditions exist in the schema (spec §5.5.1.2,
/// Fragment Spread Type Existence, and §5.8.2 for variables).
enum KnownTypeNamesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        var names: [Name] = []
        for definition in context.document.definitions {
            switch definition {
            case .operation(let operation):
                names += operation.variableDefinitions.map(\.type.namedType)
            case .fragment(let fragment):
                names.append(fragment.typeCondition)
            default:
                break
            }
        }
        names += context.inlineFragments.compactMap(\.fragment.typeCondition)
        let known = context.schema.typeNames
        for name in names.sorted(by: { $0.location.start < $1.location.start }) where context.schema.type(named: name.value) == nil {
            context.report("Unknown type \"\(name.value)\".\(Suggestion.didYouMean(name.value, among: known))", [name.location])
        }
    }
}
