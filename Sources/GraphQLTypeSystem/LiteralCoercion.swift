import GraphQLLanguage

/// Coerces a value written in a document (an argument, a default value) to its type, as the
/// spec's CoerceArgumentValues and graphql-js's valueFromAST do. Returns nil for an invalid
/// value; validation (ValuesOfCorrectType) has already told the client why.
public struct LiteralCoercion {
    public let schema: GraphQLSchema

    public init(schema: GraphQLSchema) {
        self.schema = schema
    }

    public func coerce(_ value: Value, to type: GraphQLTypeRef, variables: [String: CoercedValue]) -> CoercedValue? {
        if case .variable(let name) = value.kind {
            guard let provided = variables[name] else { return nil }
            if provided == .null && type.isNonNull { return nil }
            return provided
        }
        switch type {
        case .nonNull(let inner):
            if case .null = value.kind { return nil }
            return coerce(value, to: inner, variables: variables)
        case .list(let inner):
            if case .null = value.kind { return .null }
            guard case .list(let items) = value.kind else {
                return coerce(value, to: inner, variables: variables).map { .list([$0]) }
            }
            var result: [CoercedValue] = []
            for item in items {
                if case .variable(let name) = item.kind, variables[name] == nil {
                    // A missing variable inside a list is null, where null is allowed.
                    guard !inner.isNonNull else { return nil }
                    result.append(.null)
                    continue
                }
                guard let coerced = coerce(item, to: inner, variables: variables) else { return nil }
                result.append(coerced)
            }
            return .list(result)
        case .named(let name):
            if case .null = value.kind { return .null }
            switch schema.type(named: name) {
            case .scalar(let scalar)?:
                return scalarLiteral(value, scalar.name)
            case .enumeration(let enumeration)?:
                guard case .enumValue(let text) = value.kind, enumeration.value(named: text) != nil else { return nil }
                return .enumValue(text)
            case .inputObject(let input)?:
                return coerce(value, to: input, variables: variables)
            default:
                return nil
            }
        }
    }

    func coerce(_ value: Value, to input: GraphQLInputObjectType, variables: [String: CoercedValue]) -> CoercedValue? {
        guard case .object(let fields) = value.kind else { return nil }
        var given: [String: Value] = [:]
        for field in fields {
            guard input.field(named: field.name.value) != nil else { return nil }
            given[field.name.value] = field.value
        }
        var result: [String: CoercedValue] = [:]
        for field in input.fields {
            let written = given[field.name]
            if let written, !isMissingVariable(written, variables) {
                guard let coerced = coerce(written, to: field.type, variables: variables) else { return nil }
                result[field.name] = coerced
            } else if let defaultValue = field.defaultValue {
                guard let coerced = coerce(defaultValue, to: field.type, variables: [:]) else { return nil }
                result[field.name] = coerced
            } else if field.type.isNonNull {
                return nil
            }
        }
        if input.isOneOf {
            guard given.count == 1, let only = result.values.first, only != .null else { return nil }
        }
        return .object(result)
    }

    func isMissingVariable(_ value: Value, _ variables: [String: CoercedValue]) -> Bool {
        if case .variable(let name) = value.kind { return variables[name] == nil }
        return false
    }

    func scalarLiteral(_ value: Value, _ scalar: String) -> CoercedValue? {
        switch (scalar, value.kind) {
        case ("Int", .int(let text)):
            return Int32(text).map { .int($0) }
        case ("Float", .int(let text)), ("Float", .float(let text)):
            return Double(text).flatMap { $0.isFinite ? .float($0) : nil }
        case ("String", .string(let text, _)):
            return .string(text)
        case ("Boolean", .boolean(let flag)):
            return .boolean(flag)
        case ("ID", .string(let text, _)), ("ID", .int(let text)):
            return .id(text)
        case ("Int", _), ("Float", _), ("String", _), ("Boolean", _), ("ID", _):
            return nil
        default:
            return .custom(Self.json(value))
        }
    }

    /// A literal as JSON, for custom scalars (graphql-js valueFromASTUntyped).
    static func json(_ value: Value) -> JSONValue {
        switch value.kind {
        case .null, .variable: .null
        case .int(let text), .float(let text): .number(text)
        case .string(let text, _), .enumValue(let text): .string(text)
        case .boolean(let flag): .bool(flag)
        case .list(let items): .array(items.map(json))
        case .object(let fields): .object(fields.map { ($0.name.value, json($0.value)) })
        }
    }
}
