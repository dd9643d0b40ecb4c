import Database
import SchemaModel

/// The YAML's roles against the database: each exists, the server's login role may assume it,
/// and PostgreSQL grants it what its permissions let clients do — every column it may read,
/// insert or update, DELETE where it may delete, EXECUTE on the functions behind the computed
/// fields it may read. Without these every such request would fail at run time.
extension SchemaCheck {
    func roleChecks() -> [SchemaError] {
        var errors: [SchemaError] = []
        var present: Set<String> = []
        for role in project.settings.roles {
            guard let privileges = catalog.privileges[role.name] else {
                errors.append(role.position.error("role '\(role.name)' does not exist in the database; create it "
                    + "(CREATE ROLE \(role.name) NOLOGIN NOINHERIT) and GRANT \(role.name) TO \(Self.loginRole)"))
                continue
            }
            present.insert(role.name)
            if !privileges.members.contains(Self.loginRole) {
                errors.append(role.position.error("the login role \(Self.loginRole) may not assume role '\(role.name)'; "
                    + "run GRANT \(role.name) TO \(Self.loginRole)"))
            }
        }
        for table in project.tables {
            guard let live = catalog.table(table.schema, table.table) else { continue }
            for (role, permissions) in table.permissions.sorted(by: { $0.key < $1.key }) where present.contains(role) {
                guard let privileges = catalog.privileges[role] else { continue }
                errors += grantChecks(table, live, role: role, permissions, privileges)
            }
        }
        return errors
    }

    /// What the role's permissions on `table` need granted. Columns missing from the database
    /// are reported by the column checks, not here.
    private func grantChecks(_ table: TableModel, _ live: LiveCatalog.Table, role: String, _ permissions: TablePermissions,
                             _ privileges: LiveCatalog.Privileges) -> [SchemaError] {
        var errors: [SchemaError] = []
        let name = table.qualifiedName
        let columnNames = Set(live.columns.map(\.name))
        func needs(_ privilege: String, _ columns: [String], at position: SourcePosition) {
            let missing = columns.map(table.sqlName(ofColumn:)).filter { columnNames.contains($0) && !privileges.may(privilege, name, column: $0) }
            guard !missing.isEmpty else { return }
            let list = missing.map(TableModel.quoted).joined(separator: ", ")
            errors.append(position.error("role '\(role)' may \(privilege.lowercased()) \(missing.joined(separator: ", ")) of \(table.name), but the database does not "
                + "grant it; run GRANT \(privilege) (\(list)) ON \(table.quotedName) TO \(role)"))
        }
        if let select = permissions.select {
            needs("SELECT", select.columns, at: select.position)
            for field in table.computedFields where select.columns.contains(field.name) {
                let prefix = "\(field.functionSchema).\(field.function)("
                guard !privileges.executable.contains(where: { $0.hasPrefix(prefix) }),
                      let function = catalog.functions.first(where: { $0.schema == field.functionSchema && $0.name == field.function }) else { continue }
                let signature = "\(field.functionSchema).\(field.function)(\(function.arguments))"
                errors.append(select.position.error("role '\(role)' may read computed field '\(field.name)', but the database does not let it "
                    + "run \(signature); run GRANT EXECUTE ON FUNCTION \(signature) TO \(role)"))
            }
        }
        if let insert = permissions.insert {
            needs("INSERT", Self.distinct(insert.columns + insert.presets.keys.sorted()), at: insert.position)
        }
        if let update = permissions.update {
            needs("UPDATE", Self.distinct(update.columns + update.presets.keys.sorted()), at: update.position)
        }
        if let delete = permissions.delete, !privileges.deletable.contains(name) {
            errors.append(delete.position.error("role '\(role)' may delete from \(table.name), but the database does not grant it; "
                + "run GRANT DELETE ON \(table.quotedName) TO \(role)"))
        }
        return errors
    }

    private static func distinct(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}
