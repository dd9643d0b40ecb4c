import GraphQLLanguage

/// Spread fragments are defined in the document (spec §5.5.2.1, Fragment Spread Target Defined).
enum KnownFragmentNamesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for visit in context.spreads where context.fragments[visit.spread.name.value] == nil {
            context.report("Unknown fragment \"\(visit.spread.name.value)\".", [visit.spread.name.location])
        }
    }
}
