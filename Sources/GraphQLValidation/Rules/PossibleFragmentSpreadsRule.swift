import GraphQLLanguage

/// A fragment is spread only where its type can apply: the parent and fragment types share a
/// possible object type (spec §5.5.2.3, Fragment Spread Is Possible).
enum PossibleFragmentSpreadsRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        let schema = context.schema
        for visit in context.inlineFragments {
            guard let condition = visit.fragment.typeCondition?.value, let parent = visit.parentType,
                  schema.type(named: condition)?.isComposite == true, !schema.typesOverlap(parent, condition) else { continue }
            context.report("Fragment cannot be spread here as objects of type \"\(parent)\" can never be of type \"\(condition)\".",
                           [visit.fragment.location])
        }
        for visit in context.spreads {
            guard let fragment = context.fragments[visit.spread.name.value], let parent = visit.parentType else { continue }
            let condition = fragment.typeCondition.value
            guard schema.type(named: condition)?.isComposite == true, !schema.typesOverlap(parent, condition) else { continue }
            context.report("Fragment \"\(visit.spread.name.value)\" cannot be spread here as objects of type \"\(parent)\" can never be of type \"\(condition)\".",
                           [visit.spread.location])
        }
    }
}
