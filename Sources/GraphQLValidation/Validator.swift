import GraphQLLanguage
import GraphQLTypeSystem

/// A validation rule (spec §5): reads the context and reports what is wrong.
public protocol ValidationRule {
    static func validate(_ context: inout ValidationContext)
}

/// Validates executable documents against a schema (spec §5), every rule in `SpecifiedRules`.
public enum Validator {
    public static func validate(_ document: Document, against schema: GraphQLSchema, maxErrors: Int = 100,
                                rules: [any ValidationRule.Type] = SpecifiedRules.all) -> [GraphQLError] {
        var walker = DocumentWalker(context: ValidationContext(schema: schema, document: document, maxErrors: maxErrors))
        var context = walker.walk()
        for rule in rules {
            rule.validate(&context)
            if context.isExhausted { break }
        }
        return context.errors
    }
}
