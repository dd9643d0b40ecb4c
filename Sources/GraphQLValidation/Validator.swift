import GraphQLLanguage
import GraphQLTypeSystem

/// A validation rule (spec §5): reads the context and reports what is wrong.
public protocol ValidationRule {
    static func validate(_ context: inout ValidationContext)
}

/// Validates executable documents against a schema (spec §5), every rule in `SpecifiedRules`.
public enum Validator {
    /// The deepest field nesting an operation may reach with its fragments expanded.
    public static let defaultMaxSelectionDepth = 100

    public static func validate(_ document: Document, against schema: GraphQLSchema, maxErrors: Int = 100,
                                maxSelectionDepth: Int = defaultMaxSelectionDepth, maxFields: Int? = nil,
                                rules: [any ValidationRule.Type] = SpecifiedRules.all) -> [GraphQLError] {
        let initial = ValidationContext(schema: schema, document: document, maxErrors: maxErrors)
        // Before any rule recurses through fragments: a chain of them could otherwise exhaust the stack.
        if let tooDeep = SelectionDepth.check(document, fragments: initial.fragments, limit: maxSelectionDepth,
                                                  maxFields: maxFields) {
            return [tooDeep]
        }
        var walker = DocumentWalker(context: initial)
        var context = walker.walk()
        for rule in rules {
            rule.validate(&context)
            if context.isExhausted { break }
        }
        return context.errors
    }
}
