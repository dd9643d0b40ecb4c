import APISchema
import GraphQLLanguage
import SchemaModel
import SQL

/// `insert_<table>` and `insert_<table>_one`: every object becomes a row of an `INSERT` step.
/// Objects with nested array inserts get a step of their own, so their children can take its
/// key; the others share one multi-row step. An object relationship's row is inserted by an
/// earlier step and its key read from there.
extension PlanBuilder {
    /// The parent step whose one row an array relationship's children point to.
    struct ParentRow {
        let step: SQLIdentifier
        let relationship: RelationshipModel
    }

    /// Adds the steps inserting `objects` into `view`; returns the steps holding them, in order.
    func insertSteps(_ view: TableView, objects: [InputValue], onConflict: InputValue?, parent: ParentRow?,
                     statement: inout MutationStatement, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [SQLIdentifier] {
        let (alias, conflict, returning) = try insertTarget(view, onConflict: onConflict, path: path)
        var result: [SQLIdentifier] = []
        var pending: [[String: SQLExpression]] = []
        func flush(_ statement: inout MutationStatement) {
            guard !pending.isEmpty else { return }
            let columns = view.table.columns.map(\.name).filter { name in pending.contains { $0[name] != nil } }
            // `DEFAULT VALUES` inserts one row, so rows without any column go one per step.
            let batches = columns.isEmpty ? pending.map { [$0] } : [pending]
            for batch in batches {
                let name = nextAlias("w")
                let insert = SQLInsert(into: view.tableName, as: alias, columns: columns.map { view.sqlColumn($0) },
                                       rows: columns.isEmpty ? [[]] : batch.map { row in columns.map { row[$0] ?? .defaultValue } },
                                       onConflict: conflict.clause, returning: returning)
                statement.add(.insert(insert), named: name, of: view, kind: .insert(upsert: conflict.upsert))
                result.append(name)
            }
            pending = []
        }

        for (index, object) in objects.enumerated() {
            let objectPath = path + [.index(index)]
            let row = try insertedRow(view, object, parent: parent, statement: &statement, path: objectPath)
            if row.children.isEmpty {
                pending.append(row.values)
                continue
            }
            flush(&statement)
            pending = [row.values]
            flush(&statement)
            let own = result[result.count - 1]
            for child in row.children {
                let childParent = ParentRow(step: own, relationship: child.relationship)
                let childPath = objectPath + [.field(child.relationship.name)]
                if let rows = uniformRows(child.data) {
                    _ = try insertBatch(child.target, rows: rows, onConflict: child.onConflict, parent: childParent,
                                        statement: &statement, path: childPath)
                } else {
                    _ = try insertSteps(child.target, objects: child.objects, onConflict: child.onConflict,
                                        parent: childParent, statement: &statement, path: childPath)
                }
            }
        }
        flush(&statement)
        return result
    }

    /// What every insert step into `view` shares: the table's alias, the `ON CONFLICT` clause
    /// and the `RETURNING` outputs (the row's image and whether it was inserted, not updated).
    func insertTarget(_ view: TableView, onConflict: InputValue?, path: [GraphQLError.PathComponent])
        throws(GraphQLError) -> (alias: SQLIdentifier, conflict: (clause: SQLOnConflict?, upsert: Bool), returning: [SQLSelect.Output]) {
        guard view.insert != nil else {
            throw GraphQLError("The role may not insert into '\(view.name)'.", path: path, code: ErrorCode.permissionError)
        }
        let alias: SQLIdentifier = "t"
        let conflict = try conflictClause(view, onConflict, target: alias, path: path)
        var returning = returnedImage(view, row: alias)
        returning.append(.init(conflict.upsert ? .binary(.column(table: alias, "xmax"), .equal, .integer(0)) : .boolean(true), as: "__inserted"))
        return (alias, conflict, returning)
    }

    private struct InsertedRow {
        var values: [String: SQLExpression] = [:]
        var children: [(relationship: RelationshipModel, target: TableView, data: InputValue, objects: [InputValue], onConflict: InputValue?)] = []
    }

    /// One object's column values (with presets, the tenant and keys of related rows), after
    /// adding the steps of its object relationships.
    private func insertedRow(_ view: TableView, _ object: InputValue, parent: ParentRow?, statement: inout MutationStatement,
                             path: [GraphQLError.PathComponent]) throws(GraphQLError) -> InsertedRow {
        guard case .object(let members) = variables.layout(object) else {
            throw planningError("expected an object of type '\(view.name)_insert_input'", at: object, path: path)
        }
        var row = InsertedRow()
        var linkedBy: [String: String] = [:]
        func givenTwice(_ column: String, _ relationship: String, at value: InputValue) -> GraphQLError {
            planningError("column '\(column)' of '\(view.name)' is given both directly and by the nested insert of '\(relationship)'",
                          at: value, path: path)
        }
        func link(_ column: String, _ value: SQLExpression, by relationship: String) throws(GraphQLError) {
            if row.values[column] != nil { throw givenTwice(column, relationship, at: object) }
            row.values[column] = value
            linkedBy[column] = relationship
        }
        let insertable = view.insertColumns
        for (key, value) in members {
            if let column = insertable.first(where: { $0.name == key }) {
                if let relationship = linkedBy[key] { throw givenTwice(key, relationship, at: value) }
                row.values[key] = writtenValue(value, column: column)
                continue
            }
            guard let relationship = view.table.relationship(named: key), let target = api.tables[relationship.target] else {
                throw planningError("field '\(key)' not found in type '\(view.name)_insert_input'", at: value, path: path)
            }
            guard case .object(let nested) = variables.layout(value) else { continue }
            let data = nested.first { $0.0 == "data" }?.1
            let onConflict = nested.first { $0.0 == "on_conflict" }?.1
            switch relationship.kind {
            case .object:
                guard let data else { continue }
                let steps = try insertSteps(target, objects: [data], onConflict: onConflict, parent: nil, statement: &statement,
                                            path: path + [.field(key)])
                guard let step = steps.first else { continue }
                for (pair, sqlPair) in zip(relationship.columnMapping, relationship.sqlColumnMapping) {
                    try link(pair.source, .subquery(SQLSelect([.init(.column(table: nil, SQLIdentifier(sqlPair.target)))],
                                                              from: .table(SQLQualifiedName(step), as: step))), by: key)
                }
            case .array:
                guard let data, case .list(let items) = variables.layout(data) else { continue }
                row.children.append((relationship, target, data, items, onConflict))
            }
        }
        if let parent {
            for (pair, sqlPair) in zip(parent.relationship.columnMapping, parent.relationship.sqlColumnMapping) {
                try link(pair.target, .subquery(SQLSelect([.init(.column(table: nil, SQLIdentifier(sqlPair.source)))],
                                                          from: .table(SQLQualifiedName(parent.step), as: parent.step))),
                         by: parent.relationship.name)
            }
        }
        for (name, preset) in view.insert?.presets ?? [:] {
            guard let column = view.table.column(named: name) else { continue }
            row.values[name] = ColumnCodec.input(filterScalar(preset), column.type)
        }
        if let tenant = view.table.tenantColumn, let column = view.table.column(named: tenant) {
            row.values[tenant] = ColumnCodec.input(parameter(.session(.tenantID)), column.type)
        }
        return row
    }

    /// A column's value from the client, as a bind cast to the column's type.
    func writtenValue(_ input: InputValue, column: ColumnModel) -> SQLExpression {
        let value: SQLExpression
        if case .scalar(let bind) = boundOperand(input, json: ColumnCodec.bindsAsJSON(column.type)) { value = bind } else { value = .null }
        return ColumnCodec.input(value, column.type)
    }

    /// A value a write binds: a scalar inside a variable read for its layout becomes a parameter
    /// pointing into the variable, so one plan serves every value.
    func boundOperand(_ input: InputValue, json: Bool) -> Condition.Operand {
        guard case .json(let content, let member) = input else { return scalarOperand(input, json: json) }
        return content == .null ? .null : .scalar(parameter(.variableMember(member, json: json)))
    }

    /// `on_conflict { constraint, update_columns, where }`: with no update columns the insert
    /// skips conflicting rows; otherwise it updates them, only those the role may update.
    func conflictClause(_ view: TableView, _ input: InputValue?, target: SQLIdentifier,
                                path: [GraphQLError.PathComponent]) throws(GraphQLError) -> (clause: SQLOnConflict?, upsert: Bool) {
        guard let input, case .object(let members) = variables.shape(input) else { return (nil, false) }
        guard let update = view.update else {
            throw GraphQLError("The role may not update '\(view.name)', so it cannot upsert into it.", path: path, code: ErrorCode.permissionError)
        }
        guard let constraintInput = members.first(where: { $0.0 == "constraint" })?.1,
              case .enumValue(let value) = variables.shape(constraintInput),
              let constraint = view.constraints.first(where: { $0.value == value })?.sqlName else {
            throw planningError("on_conflict needs a constraint of '\(view.name)'", at: input, path: path)
        }
        var columns: [String] = []
        if let list = members.first(where: { $0.0 == "update_columns" })?.1 {
            switch variables.shape(list) {
            case .list(let items): columns = items.compactMap { if case .enumValue(let name) = variables.shape($0) { name } else { nil } }
            case .enumValue(let name): columns = [name]
            default: break
            }
        }
        guard !columns.isEmpty else { return (SQLOnConflict(constraint: SQLIdentifier(constraint), .nothing), false) }
        var assignments = columns.map { SQLAssignment(view.sqlColumn($0), .column(table: "excluded", view.sqlColumn($0))) }
        assignments += presetAssignments(update.presets, of: view)
        var conditions = scope(view, as: target)
        conditions += restriction(update.filter, on: view, as: target)
        if let filter = members.first(where: { $0.0 == "where" })?.1 {
            conditions.append(compile(try whereCondition(filter, on: view, path: path), on: view, as: target))
        }
        return (SQLOnConflict(constraint: SQLIdentifier(constraint), .update(assignments, where: .and(conditions))), true)
    }

    /// `column = preset` for each preset of an update permission.
    func presetAssignments(_ presets: [String: FilterValue], of view: TableView) -> [SQLAssignment] {
        presets.keys.sorted().compactMap { name in
            guard let column = view.table.column(named: name), let preset = presets[name] else { return nil }
            return SQLAssignment(column.sqlIdentifier, ColumnCodec.input(filterScalar(preset), column.type))
        }
    }
}
