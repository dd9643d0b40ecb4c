import GraphQLLanguage
import GraphQLTypeSystem

/// Every argument is defined by its field or directive (spec §5.4.1, Argument Names).
enum KnownArgumentNamesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for visit in context.arguments where visit.definition == nil {
            let name = visit.argument.name.value
            switch visit.owner {
            case .field(_, let field?, let parent?):
                let hint = Suggestion.didYouMean(name, among: field.arguments.map(\.name))
                context.report("Unknown argument \"\(name)\" on field \"\(parent).\(field.name)\".\(hint)", [visit.argument.location])
            case .directive(let directive, let definition?):
                let hint = Suggestion.didYouMean(name, among: definition.arguments.map(\.name))
                context.report("Unknown argument \"\(name)\" on directive \"@\(directive.name.value)\".\(hint)", [visit.argument.location])
            default:
                break
            }
        }
    }
}
