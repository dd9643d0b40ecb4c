import Yams

/// Reads typed values out of YAML nodes, collecting every problem with its position instead of
/// stopping at the first.
struct YAMLReader {
    let file: String
    let substitution: EnvironmentSubstitution
    private(set) var errors: [SchemaError] = []
    /// The project's enums and domains (`types:` in strata.yaml), for column types.
    var declaredTypes: [String: DeclaredType] = [:]

    init(file: String, environment: [String: String]) {
        self.file = file
        self.substitution = EnvironmentSubstitution(environment: environment)
    }

    mutating func fail(_ node: Node, _ message: String) {
        fail(at: position(of: node), message)
    }

    mutating func fail(at position: SourcePosition, _ message: String) {
        errors.append(SchemaError(file: position.file, line: position.line, column: position.column, message: message))
    }

    func position(of node: Node) -> SourcePosition {
        SourcePosition(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// The entries of a mapping whose keys are names the author chooses (columns, roles…), in order.
    mutating func entries(_ node: Node, context: String) -> [(name: String, key: Node, value: Node)] {
        guard case .mapping(let mapping) = node else {
            fail(node, "\(context) must be a mapping of names to values")
            return []
        }
        return mapping.compactMap { key, value in
            guard case .scalar(let scalar) = key else {
                fail(key, "keys in \(context) must be plain names")
                return nil
            }
            return (scalar.string, key, value)
        }
    }

    /// A sequence's items; a single value counts as a one-item sequence.
    func items(_ node: Node) -> [Node] {
        if case .sequence(let sequence) = node { return Array(sequence) }
        return [node]
    }

    /// A list of names, written as a sequence or as one name.
    mutating func names(_ node: Node, context: String) -> [(name: String, node: Node)] {
        items(node).compactMap { item in
            guard case .scalar = item, let name = string(item) else {
                fail(item, "\(context) must be names")
                return nil
            }
            return (name, item)
        }
    }

    mutating func bool(_ node: Node) -> Bool? {
        guard let text = string(node) else { return nil }
        switch text {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(node, "expected true or false, got '\(text)'")
            return nil
        }
    }

    mutating func positiveInt(_ node: Node, _ what: String) -> Int? {
        guard let text = string(node) else { return nil }
        guard let value = Int(text), value > 0 else {
            fail(node, "\(what) must be a whole number above 0, got '\(text)'")
            return nil
        }
        return value
    }

    /// Each of `targets`' keys present in `fields`, read as a whole number above 0 into its place.
    mutating func positiveInts<T>(_ fields: [String: Node], into value: inout T, _ targets: KeyValuePairs<String, WritableKeyPath<T, Int>>) {
        for (key, path) in targets {
            if let number = fields[key].flatMap({ positiveInt($0, key) }) { value[keyPath: path] = number }
        }
    }

    /// The mapping's entries by key; unknown keys are reported with the nearest known one.
    mutating func mapping(_ node: Node, keys: [String], context: String) -> [String: Node] {
        guard case .mapping(let mapping) = node else {
            fail(node, "\(context) must be a mapping with keys \(keys.joined(separator: ", "))")
            return [:]
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                fail(key, "keys in \(context) must be plain names")
                continue
            }
            if keys.contains(scalar.string) {
                result[scalar.string] = value
            } else {
                fail(key, "unknown key '\(scalar.string)' in \(context)\(NameSuggestion.hint(for: scalar.string, among: keys)); expected one of: \(keys.joined(separator: ", "))")
            }
        }
        return result
    }

    /// A scalar's text after `${ENV}` substitution.
    mutating func string(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else {
            fail(node, "expected a single value here")
            return nil
        }
        switch substitution.expand(scalar.string) {
        case .success(let value):
            return value
        case .failure(.undefined(let name)):
            fail(node, "environment variable '\(name)' is not set (write ${\(name):-default} to allow that)")
        case .failure(.unterminated):
            fail(node, "'${' without a closing '}'")
        }
        return nil
    }

    mutating func port(_ node: Node) -> Int? {
        guard let text = string(node) else { return nil }
        guard let value = Int(text), (0...65535).contains(value) else {
            fail(node, "port must be a whole number from 0 to 65535, got '\(text)'")
            return nil
        }
        return value
    }

    static func syntaxError(_ error: YamlError, file: String) -> SchemaError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return SchemaError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(problem)")
        default:
            return SchemaError(file: file, line: 1, column: 1, message: "YAML error: \(error)")
        }
    }
}
