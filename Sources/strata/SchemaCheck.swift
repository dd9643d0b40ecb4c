import Database
import Logging
import SchemaModel

/// Compares the YAML schema with the live database: every table, column, type, nullability,
/// key, relationship and computed field, and row-level security on tenant tables. Each mismatch
/// is reported at the YAML line that states what the database contradicts.
struct SchemaCheck {
    let project: SchemaProject
    let catalog: LiveCatalog

    /// Reads what the check compares with through `endpoint`: the catalog, and the privileges of
    /// the YAML's roles and of the events role.
    static func reading(_ project: SchemaProject, through endpoint: DatabaseEndpoint, logger: Logger) async throws -> SchemaCheck {
        let roles = project.settings.roles.map(\.name) + (project.settings.eventRole.map { [$0] } ?? [])
        let catalog = try await endpoint.withConnection(logger: logger) {
            try await LiveCatalog.read($0, privilegesOf: roles, logger: logger)
        }
        return SchemaCheck(project: project, catalog: catalog)
    }

    func mismatches() -> [SchemaError] {
        (project.tables.flatMap(check) + triggerChecks() + roleChecks() + typeChecks() + project.functions.compactMap(check)).sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
    }

    func check(_ table: TableModel) -> [SchemaError] {
        guard let live = catalog.table(table.schema, table.table) else {
            let known = catalog.tables.values.filter { $0.schema == table.schema }.map(\.name)
            return [table.position.error("table \(table.qualifiedName) does not exist in the database"
                + NameSuggestion.hint(for: table.table, among: known))]
        }
        var errors = columnChecks(table, live) + keyChecks(table, live)
        errors += table.relationships.compactMap { relationshipCheck($0, of: table, live) }
        errors += table.computedFields.compactMap { computedFieldCheck($0, of: table) }
        if table.tenantColumn != nil, live.isView {
            if live.kind == "m" {
                errors.append(table.position.error("\(table.qualifiedName) is a materialized view, which row-level security cannot guard; "
                    + "a tenant table must be a table or a view with security_invoker"))
            } else if !live.securityInvoker {
                errors.append(table.position.error("view \(table.qualifiedName) reads its tables with its owner's rights, so their row-level security "
                    + "does not apply to the requesting role; run ALTER VIEW \(table.quotedName) SET (security_invoker = true)"))
            }
        } else if table.tenantColumn != nil {
            if !live.rowSecurity {
                errors.append(table.position.error("row-level security is not enabled on \(table.qualifiedName), a tenant table; "
                    + "run ALTER TABLE \(table.quotedName) ENABLE ROW LEVEL SECURITY and add a policy on the tenant setting"))
            } else if !live.forcedRowSecurity {
                errors.append(table.position.error("row-level security is not forced on \(table.qualifiedName), so its owner bypasses it; "
                    + "run ALTER TABLE \(table.quotedName) FORCE ROW LEVEL SECURITY"))
            }
        }
        return errors
    }

    func columnChecks(_ table: TableModel, _ live: LiveCatalog.Table) -> [SchemaError] {
        table.columns.compactMap { column in
            guard let actual = live.column(named: column.sqlName) else {
                return column.position.error("column '\(column.sqlName)' does not exist in \(table.qualifiedName)"
                    + NameSuggestion.hint(for: column.sqlName, among: live.columns.map(\.name)))
            }
            if !Self.sameType(actual.type, column.type) {
                return column.position.error("column '\(column.name)' is \(actual.type) in the database, not \(column.type.sqlName)")
            }
            if actual.notNull && column.isNullable {
                return column.position.error("column '\(column.name)' is NOT NULL in the database; remove 'nullable: true'")
            }
            // A view's columns all read as nullable: what the view selects decides.
            if !actual.notNull && !column.isNullable && !live.isView {
                return column.position.error("column '\(column.name)' allows NULL in the database; add 'nullable: true' or make it NOT NULL")
            }
            return nil
        }
    }

    func keyChecks(_ table: TableModel, _ live: LiveCatalog.Table) -> [SchemaError] {
        var errors: [SchemaError] = []
        // A view has no keys of its own: the YAML states the columns that identify its rows. A
        // table without a primary key may name a unique constraint or index on NOT NULL columns.
        let primaryKey = table.primaryKey.map(table.sqlName(ofColumn:))
        let standsIn = live.primaryKey.isEmpty && live.unique.values.contains { columns in
            columns == primaryKey && columns.allSatisfy { live.column(named: $0)?.notNull == true }
        }
        if !live.isView && !standsIn && live.primaryKey != primaryKey {
            let actual = live.primaryKey.isEmpty ? "no primary key" : "primary key (\(live.primaryKey.joined(separator: ", ")))"
            errors.append(table.position.error("\(table.qualifiedName) has \(actual) in the database, not (\(primaryKey.joined(separator: ", ")))"))
        }
        for constraint in table.uniqueConstraints {
            guard let columns = live.unique[constraint.name] else {
                errors.append(constraint.position.error("unique constraint '\(constraint.name)' does not exist on \(table.qualifiedName)"
                    + NameSuggestion.hint(for: constraint.name, among: Array(live.unique.keys))))
                continue
            }
            if columns != constraint.columns.map(table.sqlName(ofColumn:)) {
                errors.append(constraint.position.error("unique constraint '\(constraint.name)' covers (\(columns.joined(separator: ", "))) in the database"))
            }
        }
        return errors
    }

    /// A relationship needs a foreign key between its columns, in either direction, and columns of the same type.
    func relationshipCheck(_ relationship: RelationshipModel, of table: TableModel, _ live: LiveCatalog.Table) -> SchemaError? {
        guard let target = project.table(named: relationship.target),
              let liveTarget = catalog.table(target.schema, target.table) else { return nil }
        let source = relationship.sqlColumnMapping.map(\.source)
        let destination = relationship.sqlColumnMapping.map(\.target)
        for (from, to) in relationship.sqlColumnMapping {
            if let a = live.column(named: from), let b = liveTarget.column(named: to), a.type != b.type {
                return relationship.position.error("relationship '\(relationship.name)' joins \(from) (\(a.type)) with \(target.name).\(to) (\(b.type))")
            }
        }
        guard !relationship.unchecked else { return nil }
        let outgoing = hasForeignKey(from: live, source, to: target.schema, target.table, destination)
        let incoming = hasForeignKey(from: liveTarget, destination, to: table.schema, table.table, source)
        guard outgoing || incoming else {
            return relationship.position.error("no foreign key links \(table.qualifiedName)(\(source.joined(separator: ", "))) and "
                + "\(target.qualifiedName)(\(destination.joined(separator: ", "))); relationship '\(relationship.name)' would have nothing to keep it true "
                + "(add one, or 'unchecked: true' to the relationship if none is meant to be)")
        }
        if relationship.kind == .object && !outgoing && !(liveTarget.primaryKey == destination || liveTarget.unique.values.contains(destination)) {
            return relationship.position.error("object relationship '\(relationship.name)' may match several rows: "
                + "\(target.qualifiedName)(\(destination.joined(separator: ", "))) is not a key")
        }
        return nil
    }

    /// Whether a foreign key of `table` on `columns` references `targetColumns` of the target:
    /// on the table itself, or — for a partitioned table — on every one of its partitions.
    func hasForeignKey(from table: LiveCatalog.Table, _ columns: [String], to targetSchema: String, _ targetTable: String,
                       _ targetColumns: [String]) -> Bool {
        func holds(_ table: LiveCatalog.Table) -> Bool {
            table.foreignKeys.contains {
                $0.targetSchema == targetSchema && $0.targetTable == targetTable && $0.columns == columns && $0.targetColumns == targetColumns
            }
        }
        if holds(table) { return true }
        let partitions = table.partitions.compactMap { catalog.tables[$0] }
        return !partitions.isEmpty && partitions.count == table.partitions.count && partitions.allSatisfy(holds)
    }

    func computedFieldCheck(_ field: ComputedFieldModel, of table: TableModel) -> SchemaError? {
        let candidates = catalog.functions.filter { $0.schema == field.functionSchema && $0.name == field.function }
        guard !candidates.isEmpty else {
            return field.position.error("function \(field.functionSchema).\(field.function) of computed field '\(field.name)' does not exist"
                + NameSuggestion.hint(for: field.function, among: catalog.functions.filter { $0.schema == field.functionSchema }.map(\.name)))
        }
        let rowType = [table.qualifiedName, table.table]
        guard let function = candidates.first(where: { candidate in
            rowType.contains { candidate.arguments.hasSuffix(" " + $0) || candidate.arguments == $0 }
        }) else {
            return field.position.error("function \(field.functionSchema).\(field.function) does not take a row of \(table.qualifiedName) as its only argument")
        }
        if function.returns != field.returns.sqlName {
            return field.position.error("function \(field.functionSchema).\(field.function) returns \(function.returns), not \(field.returns.sqlName)")
        }
        return nil
    }
}
