extension Printer {
    static func print(_ node: OperationTypeDefinition) -> String {
        node.operation.rawValue + ": " + node.type.value
    }

    static func print(_ node: TypeDefinition, extending: Bool) -> String {
        let lead = extending ? "extend " : ""
        switch node {
        case .scalar(let scalar):
            return described(scalar.description) + join([lead + "scalar", scalar.name.value, directives(scalar.directives)])
        case .object(let object), .interface(let object):
            let keyword: String = if case .object = node { "type" } else { "interface" }
            return described(object.description) + join([
                lead + keyword, object.name.value,
                wrap("implements ", object.interfaces.map(\.value).joined(separator: " & ")),
                directives(object.directives), block(object.fields.map(print)),
            ])
        case .union(let union):
            return described(union.description) + join([
                lead + "union", union.name.value, directives(union.directives),
                wrap("= ", union.members.map(\.value).joined(separator: " | ")),
            ])
        case .enumeration(let enumeration):
            return described(enumeration.description) + join([
                lead + "enum", enumeration.name.value, directives(enumeration.directives),
                block(enumeration.values.map { described($0.description) + join([$0.name.value, directives($0.directives)]) }),
            ])
        case .inputObject(let input):
            return described(input.description) + join([
                lead + "input", input.name.value, directives(input.directives), block(input.fields.map(print)),
            ])
        }
    }

    static func print(_ node: FieldDefinition) -> String {
        described(node.description) + node.name.value + arguments(node.arguments) + ": " + print(node.type)
            + wrap(" ", directives(node.directives))
    }

    static func print(_ node: InputValueDefinition) -> String {
        described(node.description) + join([
            node.name.value + ": " + print(node.type), wrap("= ", node.defaultValue.map(print)), directives(node.directives),
        ])
    }

    static func print(_ node: DirectiveDefinition) -> String {
        described(node.description) + "directive @" + node.name.value + arguments(node.arguments)
            + (node.isRepeatable ? " repeatable" : "") + " on " + node.locations.map(\.value).joined(separator: " | ")
    }

    /// Argument definitions inline, or one per line when any of them spans lines (a description).
    static func arguments(_ nodes: SyntaxList<InputValueDefinition>) -> String {
        let printed = nodes.map(print)
        if printed.contains(where: { $0.contains("\n") }) {
            return wrap("(\n", indent(printed.joined(separator: "\n")), "\n)")
        }
        return wrap("(", printed.joined(separator: ", "), ")")
    }
}
