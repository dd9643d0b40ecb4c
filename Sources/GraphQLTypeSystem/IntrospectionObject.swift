import GraphQLLanguage

/// The objects introspection answers with: the schema, types (named or wrapped), fields,
/// input values, enum values and directives.
enum IntrospectionObject {
    case schema
    case type(GraphQLTypeRef)
    case field(GraphQLField)
    case inputValue(GraphQLInputValue)
    case enumValue(GraphQLEnumValue)
    case directive(GraphQLDirective)

    var typeName: String {
        switch self {
        case .schema: "__Schema"
        case .type: "__Type"
        case .field: "__Field"
        case .inputValue: "__InputValue"
        case .enumValue: "__EnumValue"
        case .directive: "__Directive"
        }
    }
}

extension Introspection {
    func resolveField(_ object: IntrospectionObject, _ fields: [Field]) -> JSONValue {
        let field = fields[0]
        let name = field.name.value
        if name == "__typename" { return .string(object.typeName) }
        switch object {
        case .schema: return schemaField(name, fields)
        case .type(let type): return typeField(type, name, fields)
        case .field(let definition):
            switch name {
            case "name": return .string(definition.name)
            case "description": return string(definition.description)
            case "args": return resolveList(inputValues(definition.arguments, field), fields)
            case "type": return resolve(.type(definition.type), fields)
            case "isDeprecated": return .bool(definition.deprecationReason != nil)
            case "deprecationReason": return string(definition.deprecationReason)
            default: return .null
            }
        case .inputValue(let value):
            switch name {
            case "name": return .string(value.name)
            case "description": return string(value.description)
            case "type": return resolve(.type(value.type), fields)
            case "defaultValue": return string(value.defaultValue.map(Printer.print))
            case "isDeprecated": return .bool(value.deprecationReason != nil)
            case "deprecationReason": return string(value.deprecationReason)
            default: return .null
            }
        case .enumValue(let value):
            switch name {
            case "name": return .string(value.name)
            case "description": return string(value.description)
            case "isDeprecated": return .bool(value.deprecationReason != nil)
            case "deprecationReason": return string(value.deprecationReason)
            default: return .null
            }
        case .directive(let directive):
            switch name {
            case "name": return .string(directive.name)
            case "description": return string(directive.description)
            case "locations": return .array(directive.locations.map { .string($0.rawValue) })
            case "args": return resolveList(inputValues(directive.arguments, field), fields)
            case "isRepeatable": return .bool(directive.isRepeatable)
            default: return .null
            }
        }
    }

    func schemaField(_ name: String, _ fields: [Field]) -> JSONValue {
        switch name {
        case "description": return string(schema.description)
        case "types": return resolveList(schema.typeNames.map { .type(.named($0)) }, fields)
        case "queryType": return root(.query, fields)
        case "mutationType": return root(.mutation, fields)
        case "subscriptionType": return root(.subscription, fields)
        case "directives": return resolveList(schema.directiveNames.compactMap { schema.directive(named: $0) }.map { .directive($0) }, fields)
        default: return .null
        }
    }

    func root(_ operation: OperationType, _ fields: [Field]) -> JSONValue {
        schema.rootTypeName(for: operation).map { resolve(.type(.named($0)), fields) } ?? .null
    }

    func typeField(_ type: GraphQLTypeRef, _ name: String, _ fields: [Field]) -> JSONValue {
        let field = fields[0]
        switch type {
        case .list(let inner), .nonNull(let inner):
            switch name {
            case "kind": return .string(type.isNonNull ? "NON_NULL" : "LIST")
            case "ofType": return resolve(.type(inner), fields)
            default: return .null
            }
        case .named(let typeName):
            guard let named = schema.type(named: typeName) else { return .null }
            switch name {
            case "kind": return .string(named.kind)
            case "name": return .string(named.name)
            case "description": return string(named.description)
            case "ofType": return .null
            case "specifiedByURL":
                if case .scalar(let scalar) = named { return string(scalar.specifiedByURL) }
                return .null
            case "isOneOf":
                if case .inputObject(let input) = named { return .bool(input.isOneOf) }
                return .null
            case "fields":
                switch named {
                case .object(let object), .interface(let object):
                    let visible = object.fields.filter { includeDeprecated(field) || $0.deprecationReason == nil }
                    return resolveList(visible.map { .field($0) }, fields)
                default: return .null
                }
            case "interfaces":
                switch named {
                case .object(let object), .interface(let object):
                    return resolveList(object.interfaces.map { .type(.named($0)) }, fields)
                default: return .null
                }
            case "possibleTypes":
                switch named {
                case .interface, .union:
                    let names = schema.typeNames.filter { schema.possibleTypes(of: typeName).contains($0) }
                    return resolveList(names.map { .type(.named($0)) }, fields)
                default: return .null
                }
            case "enumValues":
                guard case .enumeration(let enumeration) = named else { return .null }
                let visible = enumeration.values.filter { includeDeprecated(field) || $0.deprecationReason == nil }
                return resolveList(visible.map { .enumValue($0) }, fields)
            case "inputFields":
                guard case .inputObject(let input) = named else { return .null }
                return resolveList(inputValues(input.fields, field), fields)
            default: return .null
            }
        }
    }

    func inputValues(_ values: [GraphQLInputValue], _ field: Field) -> [IntrospectionObject] {
        values.filter { includeDeprecated(field) || $0.deprecationReason == nil }.map { .inputValue($0) }
    }

    func string(_ text: String?) -> JSONValue {
        text.map { .string($0) } ?? .null
    }
}
