import GraphQLLanguage

/// Fragments condition on objects, interfaces or unions only (spec §5.5.1.3, Fragments On Composite Types).
enum FragmentsOnCompositeTypesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for visit in context.inlineFragments {
            guard let condition = visit.fragment.typeCondition,
                  let type = context.schema.type(named: condition.value), !type.isComposite else { continue }
            context.report("Fragment cannot condition on non composite type \"\(condition.value)\".", [condition.location])
        }
        for fragment in context.document.fragments {
            guard let type = context.schema.type(named: fragment.typeCondition.value), !type.isComposite else { continue }
            context.report("Fragment \"\(fragment.name.value)\" cannot condition on non composite type \"\(fragment.typeCondition.value)\".",
                           [fragment.typeCondition.location])
        }
    }
}
