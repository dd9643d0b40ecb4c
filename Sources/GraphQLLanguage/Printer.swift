/// Prints syntax trees as canonical GraphQL, laid out as graphql-js prints them, so formatted
/// documents look the same whichever tool produced them; printing a parsed printout gives the
/// same text again.
public enum Printer {
    static let maxLineLength = 80

    public static func print(_ document: Document) -> String {
        document.definitions.map(print).joined(separator: "\n\n")
    }

    public static func print(_ definition: Definition) -> String {
        switch definition {
        case .operation(let node): print(node)
        case .fragment(let node): print(node)
        case .schema(let node):
            described(node.description) + join(["schema", directives(node.directives), block(node.operationTypes.map(print))])
        case .type(let node): print(node, extending: false)
        case .directive(let node): print(node)
        case .schemaExtension(let node):
            join(["extend schema", directives(node.directives), block(node.operationTypes.map(print))])
        case .typeExtension(let node): print(node, extending: true)
        }
    }

    static func print(_ node: OperationDefinition) -> String {
        let variables = wrap("(", node.variableDefinitions.map(print).joined(separator: ", "), ")")
        let prefix = join([node.operation.rawValue, (node.name?.value ?? "") + variables, directives(node.directives)])
        // Anonymous queries with nothing else to say use the shorthand `{ … }`.
        let head = prefix == "query" && node.description == nil ? "" : prefix + " "
        return described(node.description) + head + print(node.selectionSet)
    }

    static func print(_ node: VariableDefinition) -> String {
        wrap("", node.description.map(print), " ") + "$" + node.variable.value + ": " + print(node.type)
            + wrap(" = ", node.defaultValue.map(print)) + wrap(" ", directives(node.directives))
    }

    public static func print(_ node: SelectionSet) -> String {
        block(node.selections.map(print))
    }

    static func print(_ node: Selection) -> String {
        switch node {
        case .field(let field):
            let prefix = wrap("", field.alias?.value, ": ") + field.name.value
            var line = prefix + wrap("(", field.arguments.map(print).joined(separator: ", "), ")")
            if line.utf16.count > maxLineLength {
                line = prefix + wrap("(\n", indent(field.arguments.map(print).joined(separator: "\n")), "\n)")
            }
            return join([line, directives(field.directives), field.selectionSet.map(print) ?? ""])
        case .fragmentSpread(let spread):
            return "..." + spread.name.value + wrap(" ", directives(spread.directives))
        case .inlineFragment(let fragment):
            return join(["...", wrap("on ", fragment.typeCondition?.value), directives(fragment.directives), print(fragment.selectionSet)])
        }
    }

    static func print(_ node: FragmentDefinition) -> String {
        described(node.description) + "fragment \(node.name.value) on \(node.typeCondition.value) "
            + wrap("", directives(node.directives), " ") + print(node.selectionSet)
    }

    static func print(_ node: Argument) -> String {
        node.name.value + ": " + print(node.value)
    }

    static func print(_ node: Directive) -> String {
        "@" + node.name.value + wrap("(", node.arguments.map(print).joined(separator: ", "), ")")
    }

    static func directives(_ nodes: SyntaxList<Directive>) -> String {
        nodes.map(print).joined(separator: " ")
    }

    public static func print(_ value: Value) -> String {
        switch value.kind {
        case .variable(let name): "$" + name
        case .int(let text), .float(let text): text
        case .string(let text, let isBlock): isBlock ? BlockString.print(text) : StringLiteral.print(text)
        case .boolean(let flag): flag ? "true" : "false"
        case .null: "null"
        case .enumValue(let name): name
        case .list(let items): "[" + items.map(print).joined(separator: ", ") + "]"
        case .object(let fields): "{" + fields.map { $0.name.value + ": " + print($0.value) }.joined(separator: ", ") + "}"
        }
    }

    public static func print(_ type: TypeReference) -> String {
        switch type {
        case .named(let name): name.value
        case .list(let inner, _): "[" + print(inner) + "]"
        case .nonNull(let inner, _): print(inner) + "!"
        }
    }

    static func print(_ description: Description) -> String {
        description.isBlock ? BlockString.print(description.value) : StringLiteral.print(description.value)
    }

    // MARK: Layout helpers (graphql-js's join, wrap, block and indent)

    /// Non-empty parts joined by `separator`.
    static func join(_ parts: [String], _ separator: String = " ") -> String {
        parts.filter { !$0.isEmpty }.joined(separator: separator)
    }

    /// `start + text + end` when the text is non-empty, else nothing.
    static func wrap(_ start: String, _ text: String?, _ end: String = "") -> String {
        guard let text, !text.isEmpty else { return "" }
        return start + text + end
    }

    static func described(_ description: Description?) -> String {
        wrap("", description.map(print), "\n")
    }

    /// Items one per line inside an indented `{ }`; nothing for no items.
    static func block(_ items: [String]) -> String {
        wrap("{\n", indent(join(items, "\n")), "\n}")
    }

    static func indent(_ text: String) -> String {
        wrap("  ", text.replacingNewlines(with: "\n  "))
    }
}

extension String {
    func replacingNewlines(with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            if character == "\n" { result += replacement } else { result.append(character) }
        }
        return result
    }
}
