import Yams

/// A table file read in two passes: its own structure first (columns, keys, relationships), then,
/// once every table is known, what refers across tables (relationship targets, permissions).
struct TableFile {
    var table: TableModel
    /// The `permissions` mapping, read in the second pass.
    var permissionsNode: Node?
    /// The `triggers` mapping, read in the second pass.
    var triggersNode: Node?
    /// Each relationship's `columns` mapping, checked in the second pass.
    var relationshipNodes: [String: Node] = [:]

    static let keys = ["table", "name", "description", "primary_key", "tenant_column", "columns", "unique",
                       "relationships", "computed_fields", "permissions", "events", "triggers"]

    /// Reads the file's own structure; nil when it is not a table description at all.
    static func read(_ root: Node, reader: inout YAMLReader) -> TableFile? {
        let fields = reader.mapping(root, keys: keys, context: "a table file")
        guard let tableNode = fields["table"], let written = reader.string(tableNode) else {
            reader.fail(root, "a table file needs 'table:', the SQL table it exposes (e.g. 'public.tasks')")
            return nil
        }
        guard let parts = sqlNameParts(written), (1...2).contains(parts.count) else {
            reader.fail(tableNode, "'\(written)' is not a table name; write 'table' or 'schema.table', "
                + "double-quoting a part that has a '.' or '\"' (a '\"' inside written twice)")
            return nil
        }
        let name: String
        if let node = fields["name"] {
            guard let given = reader.graphQLName(node, what: "the table's API name") else { return nil }
            name = given
        } else {
            guard reader.isGraphQLName(parts[parts.count - 1], at: tableNode, what: "the table's API name (give it one with 'name:')") else { return nil }
            name = parts[parts.count - 1]
        }
        var columns: [ColumnModel] = []
        if let node = fields["columns"] {
            var sqlNames: [String: String] = [:]
            columns = reader.entries(node, context: "columns").compactMap { entry in
                guard let column = reader.column(entry.name, entry.key, entry.value) else { return nil }
                if let other = sqlNames.updateValue(column.name, forKey: column.sqlName) {
                    reader.fail(entry.key, "columns '\(other)' and '\(column.name)' are both the PostgreSQL column '\(column.sqlName)'")
                    return nil
                }
                return column
            }
        } else {
            reader.fail(root, "table '\(name)' lists no columns; add 'columns:' with at least its primary key")
        }
        let table = TableModel(
            schema: parts.count == 2 ? parts[0] : "public", table: parts[parts.count - 1], name: name,
            description: fields["description"].flatMap { reader.string($0) },
            columns: columns, primaryKey: [], uniqueConstraints: [], tenantColumn: nil, relationships: [],
            computedFields: [], permissions: [:], events: [], position: reader.position(of: tableNode))
        var file = TableFile(table: table, permissionsNode: fields["permissions"], triggersNode: fields["triggers"])
        file.readKeys(fields, reader: &reader)
        file.readRelationships(fields["relationships"], reader: &reader)
        file.readComputedFields(fields["computed_fields"], reader: &reader)
        if let events = fields["events"] { file.table.events = reader.events(events) }
        return file
    }

    /// `schema.table` split at its dots, a part in double quotes taken as written (`"a.b"`,
    /// `""` for a quote); nil for an empty part or an unclosed quote.
    static func sqlNameParts(_ text: String) -> [String]? {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if quoted {
                if character == "\"" {
                    if next < text.endIndex, text[next] == "\"" {
                        current.append("\"")
                        index = text.index(after: next)
                        continue
                    }
                    quoted = false
                } else {
                    current.append(character)
                }
            } else if character == "\"" && current.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else if character == "." {
                guard !current.isEmpty else { return nil }
                parts.append(current)
                current = ""
                wasQuoted = false
            } else if wasQuoted || character == "\"" {
                return nil
            } else {
                current.append(character)
            }
            index = next
        }
        guard !quoted, !current.isEmpty, !current.contains("\u{0}") else { return nil }
        return parts + [current]
    }

    static func isSQLName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.properties.isAlphabetic && first.isASCII) else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// A column named in this table, or an error at `node` suggesting the nearest one.
    func requireColumn(_ name: String, at node: Node, reader: inout YAMLReader, context: String) -> Bool {
        if table.column(named: name) != nil { return true }
        reader.fail(node, "\(context) names unknown column '\(name)' of table '\(table.name)'"
            + NameSuggestion.hint(for: name, among: table.columns.map(\.name)))
        return false
    }

    mutating func readKeys(_ fields: [String: Node], reader: inout YAMLReader) {
        if let key = fields["primary_key"] {
            table.primaryKey = reader.names(key, context: "primary_key").compactMap { name, node in
                requireColumn(name, at: node, reader: &reader, context: "primary_key") ? name : nil
            }
        } else {
            reader.fail(at: table.position, "table '\(table.name)' has no 'primary_key:'; Strata needs one to address rows")
        }
        if let tenant = fields["tenant_column"], let name = reader.string(tenant),
           requireColumn(name, at: tenant, reader: &reader, context: "tenant_column") {
            table.tenantColumn = name
        }
        if let unique = fields["unique"] {
            table.uniqueConstraints = reader.entries(unique, context: "unique").map { name, key, value in
                let columns = reader.names(value, context: "unique constraint '\(name)'").compactMap { column, node in
                    requireColumn(column, at: node, reader: &reader, context: "unique constraint '\(name)'") ? column : nil
                }
                return UniqueConstraint(name: name, columns: columns, position: reader.position(of: key))
            }
        }
    }

    mutating func readRelationships(_ node: Node?, reader: inout YAMLReader) {
        guard let node else { return }
        for (name, key, value) in reader.entries(node, context: "relationships") {
            guard reader.isGraphQLName(name, at: key, what: "a relationship name") else { continue }
            if table.column(named: name) != nil {
                reader.fail(key, "relationship '\(name)' has the same name as a column of '\(table.name)'")
                continue
            }
            let fields = reader.mapping(value, keys: ["object", "array", "columns", "description", "unchecked"], context: "relationship '\(name)'")
            let kind: RelationshipModel.Kind
            let targetNode: Node
            switch (fields["object"], fields["array"]) {
            case (let object?, nil): (kind, targetNode) = (.object, object)
            case (nil, let array?): (kind, targetNode) = (.array, array)
            default:
                reader.fail(key, "relationship '\(name)' needs exactly one of 'object: <table>' (one related row) or 'array: <table>' (many)")
                continue
            }
            guard let target = reader.string(targetNode) else { continue }
            guard let columns = fields["columns"] else {
                reader.fail(key, "relationship '\(name)' needs 'columns:', mapping this table's columns to the related table's")
                continue
            }
            relationshipNodes[name] = columns
            var relationship = RelationshipModel(
                name: name, kind: kind, target: target, columnMapping: [], description: fields["description"].flatMap { reader.string($0) },
                position: reader.position(of: targetNode))
            relationship.unchecked = fields["unchecked"].flatMap { reader.bool($0) } ?? false
            table.relationships.append(relationship)
        }
    }

    mutating func readComputedFields(_ node: Node?, reader: inout YAMLReader) {
        guard let node else { return }
        for (name, key, value) in reader.entries(node, context: "computed_fields") {
            guard reader.isGraphQLName(name, at: key, what: "a computed field name") else { continue }
            if table.column(named: name) != nil || table.relationship(named: name) != nil {
                reader.fail(key, "computed field '\(name)' has the same name as a column or relationship of '\(table.name)'")
                continue
            }
            let fields = reader.mapping(value, keys: ["function", "type", "description"], context: "computed field '\(name)'")
            guard let functionNode = fields["function"], let function = reader.string(functionNode),
                  let typeNode = fields["type"] else {
                reader.fail(key, "computed field '\(name)' needs 'function:' (a SQL function taking the row) and 'type:' (what it returns)")
                continue
            }
            let parts = function.split(separator: ".").map(String.init)
            guard (1...2).contains(parts.count), parts.allSatisfy(Self.isSQLName) else {
                reader.fail(functionNode, "'\(function)' is not a function name; write 'function' or 'schema.function'")
                continue
            }
            guard let type = reader.columnType(typeNode) else { continue }
            table.computedFields.append(ComputedFieldModel(
                name: name, functionSchema: parts.count == 2 ? parts[0] : "public", function: parts.last!, returns: type,
                description: fields["description"].flatMap { reader.string($0) }, position: reader.position(of: key)))
        }
    }
}
