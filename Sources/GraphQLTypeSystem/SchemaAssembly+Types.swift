import GraphQLLanguage

extension SchemaAssembly {
    mutating func makeType(_ node: TypeDefinition) -> GraphQLNamedType {
        switch node {
        case .scalar(let scalar):
            let url = stringArgument(scalar.directives, directive: "specifiedBy", argument: "url")
            return .scalar(GraphQLScalarType(name: scalar.name.value, description: scalar.description?.value,
                                             specifiedByURL: url, location: scalar.name.location))
        case .object(let object):
            return .object(makeObject(object))
        case .interface(let interface):
            return .interface(makeObject(interface))
        case .union(let union):
            references += union.members
            return .union(GraphQLUnionType(name: union.name.value, description: union.description?.value,
                                           members: union.members.map(\.value),
                                           location: union.name.location))
        case .enumeration(let enumeration):
            return .enumeration(GraphQLEnumType(name: enumeration.name.value, description: enumeration.description?.value,
                                                values: makeEnumValues(enumeration.values, owner: enumeration.name.value),
                                                location: enumeration.name.location))
        case .inputObject(let input):
            return .inputObject(GraphQLInputObjectType(
                name: input.name.value, description: input.description?.value,
                fields: makeInputValues(input.fields, owner: input.name.value, what: .inputField),
                isOneOf: input.directives.contains { $0.name.value == "oneOf" }, location: input.name.location))
        }
    }

    mutating func makeObject(_ node: ObjectTypeDefinition) -> GraphQLObjectType {
        references += node.interfaces
        return GraphQLObjectType(
            name: node.name.value, description: node.description?.value,
            interfaces: node.interfaces.map(\.value),
            fields: makeFields(node.fields, owner: node.name.value), location: node.name.location)
    }

    mutating func makeFields(_ nodes: SyntaxList<FieldDefinition>, owner: String, existing: [GraphQLField] = []) -> [GraphQLField] {
        var fields = existing
        for node in nodes {
            if let previous = fields.first(where: { $0.name == node.name.value }) {
                fail("Field \"\(owner).\(node.name.value)\" can only be defined once.", [previous.location, node.name.location])
                continue
            }
            fields.append(GraphQLField(
                name: node.name.value, description: node.description?.value,
                arguments: makeInputValues(node.arguments, owner: "\(owner).\(node.name.value)", what: .argument),
                type: typeRef(node.type), deprecationReason: deprecationReason(node.directives),
                location: node.name.location))
        }
        return fields
    }

    enum InputValueKind {
        case argument, inputField
    }

    mutating func makeInputValues(_ nodes: SyntaxList<InputValueDefinition>, owner: String, what: InputValueKind,
                                  existing: [GraphQLInputValue] = []) -> [GraphQLInputValue] {
        var values = existing
        for node in nodes {
            if let previous = values.first(where: { $0.name == node.name.value }) {
                let name = what == .argument ? "Argument \"\(owner)(\(node.name.value):)\"" : "Field \"\(owner).\(node.name.value)\""
                fail("\(name) can only be defined once.", [previous.location, node.name.location])
                continue
            }
            values.append(GraphQLInputValue(
                name: node.name.value, description: node.description?.value, type: typeRef(node.type),
                defaultValue: node.defaultValue, deprecationReason: deprecationReason(node.directives),
                location: node.name.location))
        }
        return values
    }

    mutating func makeEnumValues(_ nodes: SyntaxList<EnumValueDefinition>, owner: String, existing: [GraphQLEnumValue] = []) -> [GraphQLEnumValue] {
        var values = existing
        for node in nodes {
            if let previous = values.first(where: { $0.name == node.name.value }) {
                fail("Enum value \"\(owner).\(node.name.value)\" can only be defined once.", [previous.location, node.name.location])
                continue
            }
            values.append(GraphQLEnumValue(name: node.name.value, description: node.description?.value,
                                           deprecationReason: deprecationReason(node.directives), location: node.name.location))
        }
        return values
    }

    mutating func makeDirective(_ node: DirectiveDefinition) -> GraphQLDirective {
        GraphQLDirective(
            name: node.name.value, description: node.description?.value,
            arguments: makeInputValues(node.arguments, owner: "@\(node.name.value)", what: .argument),
            locations: node.locations.compactMap { DirectiveLocation(rawValue: $0.value) },
            isRepeatable: node.isRepeatable, location: node.name.location)
    }

    mutating func typeRef(_ node: TypeReference) -> GraphQLTypeRef {
        switch node {
        case .named(let name):
            references.append(name)
            return .named(name.value)
        case .list(let inner, _):
            return .list(typeRef(inner))
        case .nonNull(let inner, _):
            return .nonNull(typeRef(inner))
        }
    }

    /// `@deprecated(reason:)`: the reason given, or the directive's default.
    func deprecationReason(_ directives: SyntaxList<Directive>) -> String? {
        guard directives.contains(where: { $0.name.value == "deprecated" }) else { return nil }
        return stringArgument(directives, directive: "deprecated", argument: "reason") ?? "No longer supported"
    }

    func stringArgument(_ directives: SyntaxList<Directive>, directive: String, argument: String) -> String? {
        let value = directives.first { $0.name.value == directive }?.arguments.first { $0.name.value == argument }?.value
        if case .string(let text, _)? = value?.kind { return text }
        return nil
    }
}
