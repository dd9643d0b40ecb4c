import GraphQLLanguage

/// A directive that is not repeatable appears at most once on a node (spec §5.7.3, Directives Are Unique Per Location).
enum UniqueDirectivesPerLocationRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        var seen: [Int: [String: Directive]] = [:]
        for visit in context.directives {
            let name = visit.directive.name.value
            guard let definition = context.schema.directive(named: name), !definition.isRepeatable else { continue }
            if let first = seen[visit.nodeKey]?[name] {
                context.report("The directive \"@\(name)\" can only be used once at this location.",
                               [first.location, visit.directive.location])
            } else {
                seen[visit.nodeKey, default: [:]][name] = visit.directive
            }
        }
    }
}
