import GraphQLLanguage
import GraphQLTypeSystem

/// A variable is used only where its type fits: a nullable variable reaches a non-null position
/// only with a default on either side (spec §5.8.5, All Variable Usages Are Allowed).
enum VariablesInAllowedPositionRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        for (index, definition) in context.document.definitions.enumerated() {
            guard case .operation(let operation) = definition else { continue }
            // A repeated definition: the last one counts, as in graphql-js.
            let variables = Dictionary(operation.variableDefinitions.map { ($0.variable.value, $0) }, uniquingKeysWith: { _, last in last })
            for usage in context.recursiveVariableUsages(of: index) {
                guard let variable = variables[usage.name], let expected = usage.expectedType,
                      context.schema.type(named: variable.type.namedType.value) != nil else { continue }
                let type = VariableCoercion.typeRef(variable.type)
                if !allowed(type, variable.defaultValue, in: expected, locationHasDefault: usage.hasLocationDefault, context.schema) {
                    context.report("Variable \"$\(usage.name)\" of type \"\(type)\" used in position expecting type \"\(expected)\".",
                                   [variable.location, usage.location])
                }
            }
        }
    }

    static func allowed(_ type: GraphQLTypeRef, _ defaultValue: Value?, in expected: GraphQLTypeRef,
                        locationHasDefault: Bool, _ schema: GraphQLSchema) -> Bool {
        if case .nonNull(let nullableExpected) = expected, !type.isNonNull {
            let hasNonNullDefault = defaultValue.map { $0.kind != .null } ?? false
            guard hasNonNullDefault || locationHasDefault else { return false }
            return schema.isTypeSubType(type, of: nullableExpected)
        }
        return schema.isTypeSubType(type, of: expected)
    }
}
