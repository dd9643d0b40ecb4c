import GraphQLLanguage

/// Leaf fields have no selection set; object, interface and union fields must have one
/// (spec §5.3.3, Leaf Field Selections).
enum ScalarLeafsRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for visit in context.fields {
            guard let definition = visit.definition, let type = context.schema.type(named: definition.type.namedType) else { continue }
            let name = visit.field.name.value
            if type.isLeaf, let selectionSet = visit.field.selectionSet {
                context.report("Field \"\(name)\" must not have a selection since type \"\(definition.type)\" has no subfields.",
                               [selectionSet.location])
            } else if !type.isLeaf && visit.field.selectionSet == nil {
                context.report("Field \"\(name)\" of type \"\(definition.type)\" must have a selection of subfields. Did you mean \"\(name) { ... }\"?",
                               [visit.field.location])
            }
        }
    }
}
