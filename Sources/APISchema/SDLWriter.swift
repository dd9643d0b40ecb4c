import GraphQLLanguage

/// Collects the type definitions of a role's API as SDL, each type once, in the order first
/// defined; the result is parsed and checked like any SDL the schema builder reads.
struct SDLWriter {
    struct Field {
        var name: String
        var arguments: [Field] = []
        var type: String
        var defaultValue: String?
        var description: String?

        init(_ name: String, _ type: String, description: String? = nil, defaultValue: String? = nil, arguments: [Field] = []) {
            self.name = name
            self.type = type
            self.description = description
            self.defaultValue = defaultValue
            self.arguments = arguments
        }
    }

    private(set) var definitions: [String] = []
    private(set) var defined: Set<String> = []

    func has(_ name: String) -> Bool { defined.contains(name) }

    /// Marks `name` as defined; false when it already was (the caller then skips it). Types that
    /// refer to themselves through relationships (`tasks` → `project` → `tasks`) claim a key
    /// `"<type>#object"` or `"<type>#input"` before writing their fields, so the cycle ends there.
    mutating func claim(_ name: String) -> Bool {
        defined.insert(name).inserted
    }

    mutating func object(_ name: String, description: String?, fields: [Field]) {
        guard claim(name) else { return }
        definitions.append(Self.described(description, indent: "") + "type \(name) {\n" + fields.map(Self.field).joined() + "}")
    }

    mutating func input(_ name: String, description: String?, fields: [Field]) {
        guard claim(name) else { return }
        definitions.append(Self.described(description, indent: "") + "input \(name) {\n" + fields.map(Self.field).joined() + "}")
    }

    mutating func enumeration(_ name: String, description: String?, values: [(name: String, description: String?)]) {
        guard claim(name) else { return }
        let body = values.map { Self.described($0.description, indent: "  ") + "  \($0.name)\n" }.joined()
        definitions.append(Self.described(description, indent: "") + "enum \(name) {\n" + body + "}")
    }

    mutating func scalar(_ name: String, description: String?, specifiedBy url: String?) {
        guard claim(name) else { return }
        let directive = url.map { " @specifiedBy(url: \(StringLiteral.print($0)))" } ?? ""
        definitions.append(Self.described(description, indent: "") + "scalar \(name)\(directive)")
    }

    mutating func schema(query: String, mutation: String?, subscription: String?) {
        definitions.insert("schema {\n  query: \(query)\n" + (mutation.map { "  mutation: \($0)\n" } ?? "")
                           + (subscription.map { "  subscription: \($0)\n" } ?? "") + "}", at: 0)
    }

    var text: String { definitions.joined(separator: "\n\n") + "\n" }

    static func described(_ description: String?, indent: String) -> String {
        guard let description, !description.isEmpty else { return "" }
        return indent + StringLiteral.print(description) + "\n"
    }

    static func field(_ field: Field) -> String {
        var text = described(field.description, indent: "  ") + "  " + field.name
        if !field.arguments.isEmpty {
            text += "(\n" + field.arguments.map { argument in
                described(argument.description, indent: "    ") + "    \(argument.name): \(argument.type)"
                    + (argument.defaultValue.map { " = \($0)" } ?? "") + "\n"
            }.joined() + "  )"
        }
        return text + ": " + field.type + (field.defaultValue.map { " = \($0)" } ?? "") + "\n"
    }
}
