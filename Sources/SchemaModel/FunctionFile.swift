import Yams

/// A function file: `function:`, `returns:`, `exposed_as:`, `arguments:`, `roles:`.
enum FunctionFile {
    static let keys = ["function", "name", "description", "returns", "exposed_as", "arguments", "roles"]

    static func read(_ root: Node, reader: inout YAMLReader, tables: [String: TableModel], roles: [String]) -> FunctionModel? {
        let fields = reader.mapping(root, keys: keys, context: "a function file")
        guard let functionNode = fields["function"], let written = reader.string(functionNode) else {
            reader.fail(root, "a function file needs 'function:', the SQL function it exposes (e.g. 'public.hold_money')")
            return nil
        }
        let parts = written.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), parts.allSatisfy(TableFile.isSQLName) else {
            reader.fail(functionNode, "'\(written)' is not a function name; write 'function' or 'schema.function'")
            return nil
        }
        // `split` always returns at least one part: `last!` cannot trap (and schema files are the author's, not a request's).
        let name = fields["name"].flatMap { reader.graphQLName($0, what: "the function's API name") } ?? parts.last!
        guard let returnsNode = fields["returns"], let returns = reader.string(returnsNode) else {
            reader.fail(root, "function '\(name)' needs 'returns:', the table whose rows it returns (SETOF that table)")
            return nil
        }
        if tables[returns] == nil {
            reader.fail(returnsNode, "function '\(name)' returns rows of '\(returns)', which no table file describes"
                + NameSuggestion.hint(for: returns, among: tables.keys.sorted()))
        }
        guard let exposureNode = fields["exposed_as"], let exposureText = reader.string(exposureNode) else {
            reader.fail(root, "function '\(name)' needs 'exposed_as:': 'mutation' for a VOLATILE function, 'query' for a STABLE one")
            return nil
        }
        guard let exposure = FunctionModel.Exposure(rawValue: exposureText) else {
            reader.fail(exposureNode, "'exposed_as' is 'mutation' (a VOLATILE function) or 'query' (a STABLE one), not '\(exposureText)'")
            return nil
        }
        var arguments: [ColumnModel] = []
        if let node = fields["arguments"] {
            arguments = reader.entries(node, context: "arguments").compactMap { reader.column($0.name, $0.key, $0.value) }
        }
        var allowed: [String] = []
        if let node = fields["roles"] {
            for (role, item) in reader.names(node, context: "roles of function '\(name)'") {
                if roles.contains(role) {
                    allowed.append(role)
                } else {
                    reader.fail(item, "function '\(name)' names unknown role '\(role)'" + NameSuggestion.hint(for: role, among: roles))
                }
            }
        }
        return FunctionModel(name: name, schema: parts.count == 2 ? parts[0] : "public", function: parts.last!, returns: returns,
                             exposedAs: exposure, arguments: arguments, roles: allowed,
                             description: fields["description"].flatMap { reader.string($0) }, position: reader.position(of: functionNode))
    }
}
