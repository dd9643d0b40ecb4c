import GraphQLLanguage

/// Directives are defined by the schema and used where their definition allows
/// (spec §5.7.1, Directives Are Defined, and §5.7.2, Directives Are In Valid Locations).
enum KnownDirectivesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for visit in context.directives {
            let name = visit.directive.name.value
            guard let definition = context.schema.directive(named: name) else {
                context.report("Unknown directive \"@\(name)\".", [visit.directive.location])
                continue
            }
            if !definition.locations.contains(visit.location) {
                context.report("Directive \"@\(name)\" may not be used on \(visit.location.rawValue).", [visit.directive.location])
            }
        }
    }
}
