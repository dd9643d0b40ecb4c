import APISchema
import GraphQLLanguage
import SchemaModel
import SQL

/// Inserting a uniform list of rows from the request's variables as one batch: the list is one
/// JSON parameter, unpacked by `jsonb_array_elements … WITH ORDINALITY` in the order sent, so a
/// thousand rows cost one bind and share the plan and prepared statement of one row.
extension PlanBuilder {
    /// The rows of `list` when it is a uniform list inside the request's variables.
    func uniformRows(_ list: InputValue?) -> (member: VariableMember, names: [String])? {
        guard let list, let (value, member) = variables.laidOutJSON(list),
              let names = UniformRows.members(of: value) else { return nil }
        return (member, names)
    }

    /// One step inserting every row: `INSERT … SELECT CAST(u.v ->> 'column' AS type), … FROM
    /// jsonb_array_elements($n) WITH ORDINALITY AS u(v, n) ORDER BY u.n`, with the presets, the
    /// session's tenant and the parent's key as for single rows.
    func insertBatch(_ view: TableView, rows: (member: VariableMember, names: [String]), onConflict: InputValue?,
                     parent: ParentRow?, statement: inout MutationStatement,
                     path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [SQLIdentifier] {
        let (alias, conflict, returning) = try insertTarget(view, onConflict: onConflict, path: path)

        let source = nextAlias("u")
        let element: SQLIdentifier = "v"
        let ordinality: SQLIdentifier = "n"
        var values: [String: SQLExpression] = [:]
        for name in rows.names {
            if let column = view.insertColumns.first(where: { $0.name == name }), let key = SQLName(name) {
                let json = ColumnCodec.bindsAsJSON(column.type)
                let member = SQLExpression.binary(.column(table: source, element), json ? .jsonMember : .jsonMemberText, .name(key))
                values[name] = ColumnCodec.input(member, column.type)
            } else if view.table.relationship(named: name) == nil {
                throw planningError("field '\(name)' not found in type '\(view.name)_insert_input'",
                                    at: .json(.null, from: rows.member), path: path)
            }
            // A relationship member of a uniform row is null: no nested insert.
        }
        if let parent {
            for (pair, sqlPair) in zip(parent.relationship.columnMapping, parent.relationship.sqlColumnMapping) {
                guard values[pair.target] == nil else {
                    throw planningError("column '\(pair.target)' of '\(view.name)' is given both directly and by the nested insert of '\(parent.relationship.name)'",
                                        at: .json(.null, from: rows.member), path: path)
                }
                values[pair.target] = .subquery(SQLSelect([.init(.column(table: nil, SQLIdentifier(sqlPair.source)))],
                                                          from: .table(SQLQualifiedName(parent.step), as: parent.step)))
            }
        }
        for (name, preset) in view.insert?.presets ?? [:] {
            guard let column = view.table.column(named: name) else { continue }
            values[name] = ColumnCodec.input(filterScalar(preset), column.type)
        }
        if let tenant = view.table.tenantColumn, let column = view.table.column(named: tenant) {
            values[tenant] = ColumnCodec.input(parameter(.session(.tenantID)), column.type)
        }

        let columns = view.table.columns.map(\.name).filter { values[$0] != nil }
        let elements = SQLExpression.builtin("jsonb_array_elements", [.cast(parameter(.variableMember(rows.member, json: true)), .jsonb)])
        let query = SQLSelect(columns.compactMap { values[$0].map { SQLSelect.Output($0) } },
                              from: .numberedRows(elements, as: source, columns: [element], ordinality: ordinality),
                              orderBy: [SQLOrdering(.column(table: source, ordinality))])
        let name = nextAlias("w")
        let insert = SQLInsert(into: view.tableName, as: alias, columns: columns.map { view.sqlColumn($0) }, query: query,
                               onConflict: conflict.clause, returning: returning)
        statement.add(.insert(insert), named: name, of: view, kind: .insert(upsert: conflict.upsert))
        return [name]
    }
}
