import Yams

/// `permissions:` of a table file: per role, what it may select, insert, update and delete.
extension YAMLReader {
    mutating func permissions(_ node: Node, table: TableModel, tables: [String: TableModel], roles: [String]) -> [String: TablePermissions] {
        var result: [String: TablePermissions] = [:]
        for (role, key, value) in entries(node, context: "permissions") {
            guard roles.contains(role) else {
                fail(key, "permissions for unknown role '\(role)'\(NameSuggestion.hint(for: role, among: roles)); "
                    + "declare it under 'roles:' in strata.yaml (known: \(roles.joined(separator: ", ")))")
                continue
            }
            let operations = mapping(value, keys: ["select", "insert", "update", "delete"], context: "permissions of '\(role)'")
            var permissions = TablePermissions(position: position(of: key))
            let context = { (operation: String) in "the \(operation) permission of '\(role)' on '\(table.name)'" }
            if let select = operations["select"] { permissions.select = selectPermission(select, table, tables, context("select")) }
            if let insert = operations["insert"] { permissions.insert = insertPermission(insert, table, tables, context("insert")) }
            if let update = operations["update"] { permissions.update = updatePermission(update, table, tables, context("update")) }
            if let delete = operations["delete"] {
                let fields = mapping(delete, keys: ["filter"], context: context("delete"))
                permissions.delete = DeletePermission(
                    filter: fields["filter"].map { filter($0, on: table, tables: tables, context: context("delete")) } ?? .always,
                    position: position(of: delete))
            }
            result[role] = permissions
        }
        return result
    }

    mutating func selectPermission(_ node: Node, _ table: TableModel, _ tables: [String: TableModel], _ context: String) -> SelectPermission {
        let fields = mapping(node, keys: ["columns", "filter", "limit", "aggregates"], context: context)
        let readable = table.columns.map(\.name) + table.computedFields.map(\.name)
        return SelectPermission(
            columns: fields["columns"].map { permittedColumns($0, among: readable, table: table, context: context) } ?? [],
            filter: fields["filter"].map { filter($0, on: table, tables: tables, context: context) } ?? .always,
            limit: fields["limit"].flatMap { positiveInt($0, "limit") },
            allowsAggregates: fields["aggregates"].flatMap { bool($0) } ?? false,
            position: position(of: node))
    }

    mutating func insertPermission(_ node: Node, _ table: TableModel, _ tables: [String: TableModel], _ context: String) -> InsertPermission {
        let fields = mapping(node, keys: ["columns", "check", "presets"], context: context)
        return InsertPermission(
            columns: fields["columns"].map { permittedColumns($0, among: table.columns.map(\.name), table: table, context: context) } ?? [],
            check: fields["check"].map { filter($0, on: table, tables: tables, context: context) } ?? .always,
            presets: fields["presets"].map { presets($0, table: table, context: context) } ?? [:],
            position: position(of: node))
    }

    mutating func updatePermission(_ node: Node, _ table: TableModel, _ tables: [String: TableModel], _ context: String) -> UpdatePermission {
        let fields = mapping(node, keys: ["columns", "filter", "check", "presets"], context: context)
        return UpdatePermission(
            columns: fields["columns"].map { permittedColumns($0, among: table.columns.map(\.name), table: table, context: context) } ?? [],
            filter: fields["filter"].map { filter($0, on: table, tables: tables, context: context) } ?? .always,
            check: fields["check"].map { filter($0, on: table, tables: tables, context: context) } ?? .always,
            presets: fields["presets"].map { presets($0, table: table, context: context) } ?? [:],
            position: position(of: node))
    }

    /// `"*"` for all of `candidates`, or a list of them.
    mutating func permittedColumns(_ node: Node, among candidates: [String], table: TableModel, context: String) -> [String] {
        if case .scalar(let scalar) = node, scalar.string == "*" { return candidates }
        var seen: Set<String> = []
        return names(node, context: "columns").compactMap { name, item in
            guard candidates.contains(name) else {
                fail(item, "\(context) names unknown column '\(name)'\(NameSuggestion.hint(for: name, among: candidates))")
                return nil
            }
            guard seen.insert(name).inserted else {
                fail(item, "column '\(name)' is listed twice")
                return nil
            }
            return name
        }
    }

    mutating func presets(_ node: Node, table: TableModel, context: String) -> [String: FilterValue] {
        var result: [String: FilterValue] = [:]
        for (name, key, value) in entries(node, context: "presets") {
            guard table.column(named: name) != nil else {
                fail(key, "\(context) presets unknown column '\(name)'\(NameSuggestion.hint(for: name, among: table.columns.map(\.name)))")
                continue
            }
            if let preset = filterValue(value) { result[name] = preset }
        }
        return result
    }
}
