import Yams

/// Columns, types, names and events in table files.
extension YAMLReader {
    /// `name: type`, or `name: { type:, nullable:, description:, column: }` where `column:` is
    /// its PostgreSQL name when that cannot be a GraphQL name (`column: First Name`).
    mutating func column(_ name: String, _ key: Node, _ value: Node) -> ColumnModel? {
        guard isGraphQLName(name, at: key, what: "a column name (map a PostgreSQL name that is not one with 'column:')") else { return nil }
        var typeNode = value
        var isNullable = false
        var description: String?
        var sqlName: String?
        if case .mapping = value {
            let fields = mapping(value, keys: ["type", "nullable", "description", "column"], context: "column '\(name)'")
            if let node = fields["column"] {
                guard let written = string(node), !written.isEmpty, !written.contains("\u{0}") else {
                    fail(node, "column '\(name)': 'column:' is the PostgreSQL column's name, a non-empty string")
                    return nil
                }
                sqlName = written
            }
            guard let type = fields["type"] else {
                fail(key, "column '\(name)' needs 'type:', its PostgreSQL type")
                return nil
            }
            typeNode = type
            isNullable = fields["nullable"].flatMap { bool($0) } ?? false
            description = fields["description"].flatMap { string($0) }
        }
        guard let type = columnType(typeNode) else { return nil }
        return ColumnModel(name: name, sqlName: sqlName, type: type, isNullable: isNullable, description: description, position: position(of: key))
    }

    mutating func columnType(_ node: Node) -> ColumnType? {
        guard let written = string(node) else { return nil }
        if let declared = declaredType(written) { return ColumnType(declared: declared) }
        if written.hasSuffix("[]"), let declared = declaredType(String(written.dropLast(2))) {
            guard let type = ColumnType(arrayOf: ColumnType(declared: declared)) else {
                fail(node, "'\(written)' is an array of \(declared.name), whose base type Strata does not serve in arrays")
                return nil
            }
            return type
        }
        guard let type = ColumnType(written) else {
            fail(node, "unknown column type '\(written)'\(NameSuggestion.hint(for: written, among: ColumnType.writtenNames + declaredTypes.keys.sorted())); "
                + "Strata knows: \(ColumnType.writtenNames.joined(separator: ", ")), and the enums and domains declared under types: in strata.yaml")
            return nil
        }
        return type
    }

    /// An enum or domain of `types:` by its declared name, or without `public.`.
    func declaredType(_ written: String) -> DeclaredType? {
        declaredTypes[written] ?? declaredTypes.values.first { $0.qualifiedName.name == written && $0.qualifiedName.schema == "public" }
    }

    /// Whether `name` can be a GraphQL name (it becomes a field or type name in the API).
    mutating func isGraphQLName(_ name: String, at node: Node, what: String) -> Bool {
        let valid = !name.isEmpty && !name.hasPrefix("__") && name.unicodeScalars.enumerated().allSatisfy { index, scalar in
            scalar == "_" || (scalar.isASCII && (scalar.properties.isAlphabetic || (index > 0 && ("0"..."9").contains(scalar))))
        }
        if !valid {
            fail(node, "'\(name)' cannot be \(what): GraphQL names are letters, digits and '_', not starting with a digit or '__'")
        }
        return valid
    }

    mutating func graphQLName(_ node: Node, what: String) -> String? {
        guard let name = string(node), isGraphQLName(name, at: node, what: what) else { return nil }
        return name
    }

    /// `events: [insert, update, delete]`, or `true` for all three.
    mutating func events(_ node: Node) -> Set<ChangeOperation> {
        if case .scalar(let scalar) = node, ["true", "false"].contains(scalar.string) {
            return scalar.string == "true" ? Set(ChangeOperation.allCases) : []
        }
        let known = ChangeOperation.allCases.map(\.rawValue)
        return Set(names(node, context: "events").compactMap { name, item in
            guard let operation = ChangeOperation(rawValue: name) else {
                fail(item, "unknown event '\(name)'\(NameSuggestion.hint(for: name, among: known)); expected insert, update or delete")
                return nil
            }
            return operation
        })
    }
}
