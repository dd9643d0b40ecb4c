import GraphQLLanguage

extension SchemaAssembly {
    /// Adds what an `extend` definition brings to the type it names (spec §3.4.3 and each
    /// type's "Extensions" section): the type must exist and be of the same kind.
    mutating func applyExtension(_ node: TypeDefinition) {
        let name = node.name.value
        guard let existing = types[name] else {
            fail("Cannot extend type \"\(name)\" because it is not defined.\(Suggestion.didYouMean(name, among: typeNames))",
                 [node.name.location])
            return
        }
        switch (existing, node) {
        case (.scalar, .scalar):
            break
        case (.object(var object), .object(let addition)):
            extend(&object, with: addition)
            types[name] = .object(object)
        case (.interface(var interface), .interface(let addition)):
            extend(&interface, with: addition)
            types[name] = .interface(interface)
        case (.union(var union), .union(let addition)):
            references += addition.members
            union.members += addition.members.map(\.value)
            types[name] = .union(union)
        case (.enumeration(var enumeration), .enumeration(let addition)):
            enumeration.values = makeEnumValues(addition.values, owner: name, existing: enumeration.values)
            types[name] = .enumeration(enumeration)
        case (.inputObject(var input), .inputObject(let addition)):
            input.fields = makeInputValues(addition.fields, owner: name, what: .inputField, existing: input.fields)
            if addition.directives.contains(where: { $0.name.value == "oneOf" }) { input.isOneOf = true }
            types[name] = .inputObject(input)
        default:
            fail("Cannot extend non-\(kindName(node)) type \"\(name)\".", [existing.location, node.name.location])
        }
    }

    mutating func extend(_ type: inout GraphQLObjectType, with addition: ObjectTypeDefinition) {
        references += addition.interfaces
        let interfaces = type.interfaces + addition.interfaces.map(\.value)
        let fields = makeFields(addition.fields, owner: type.name, existing: type.fields)
        type = GraphQLObjectType(name: type.name, description: type.description, interfaces: interfaces,
                                 fields: fields, location: type.location)
    }

    func kindName(_ node: TypeDefinition) -> String {
        switch node {
        case .scalar: "scalar"
        case .object: "object"
        case .interface: "interface"
        case .union: "union"
        case .enumeration: "enum"
        case .inputObject: "input object"
        }
    }
}
