import GraphQLLanguage

/// CoerceVariableValues (spec §6.1.2): the variables a client sent, checked against the
/// operation's variable definitions, with defaults applied. Absent and null stay distinct:
/// an absent variable without a default has no entry.
public struct VariableCoercion {
    public let schema: GraphQLSchema

    public init(schema: GraphQLSchema) {
        self.schema = schema
    }

    public func coerce(_ definitions: SyntaxList<VariableDefinition>, inputs: [String: JSONValue]) -> Result<[String: CoercedValue], GraphQLErrors> {
        var values: [String: CoercedValue] = [:]
        var errors: [GraphQLError] = []
        let literals = LiteralCoercion(schema: schema)
        let input = InputCoercion(schema: schema)
        for definition in definitions {
            let name = definition.variable.value
            let type = Self.typeRef(definition.type)
            var location: [SourceLocation] { [definition.location.sourceLocation] }
            guard schema.isInputType(type) else {
                errors.append(GraphQLError("Variable \"$\(name)\" expected value of type \"\(Printer.print(definition.type))\" which cannot be used as an input type.",
                                           locations: location, code: ErrorCode.invalidVariables))
                continue
            }
            guard let provided = inputs[name] else {
                if let defaultValue = definition.defaultValue {
                    if let coerced = literals.coerce(defaultValue, to: type, variables: [:]) { values[name] = coerced }
                } else if type.isNonNull {
                    errors.append(GraphQLError("Variable \"$\(name)\" of required type \"\(Printer.print(definition.type))\" was not provided.", locations: location,
                                               code: ErrorCode.invalidVariables))
                }
                continue
            }
            if case .null = provided, type.isNonNull {
                errors.append(GraphQLError("Variable \"$\(name)\" of non-null type \"\(Printer.print(definition.type))\" must not be null.", locations: location,
                                           code: ErrorCode.invalidVariables))
                continue
            }
            do {
                values[name] = try input.coerce(provided, to: type)
            } catch {
                let value = Self.value(at: error.path, in: provided)
                let at = error.path.isEmpty ? "" : " at \"\(name)\(error.path.joined())\""
                errors.append(GraphQLError("Variable \"$\(name)\" got invalid value \(value.inspected)\(at); \(error.message)",
                                           locations: location, code: ErrorCode.invalidVariables))
            }
        }
        return errors.isEmpty ? .success(values) : .failure(GraphQLErrors(errors))
    }

    public static func typeRef(_ node: TypeReference) -> GraphQLTypeRef {
        switch node {
        case .named(let name): .named(name.value)
        case .list(let inner, _): .list(typeRef(inner))
        case .nonNull(let inner, _): .nonNull(typeRef(inner))
        }
    }

    /// The part of a value a coercion error's path points at.
    static func value(at path: [String], in value: JSONValue) -> JSONValue {
        var current = value
        for step in path {
            if step.hasPrefix("["), let index = Int(step.dropFirst().dropLast()), case .array(let items) = current, index < items.count {
                current = items[index]
            } else if step.hasPrefix("."), case .object(let members) = current,
                      let member = members.last(where: { $0.0 == String(step.dropFirst()) }) {
                current = member.1
            }
        }
        return current
    }
}
