import APISchema
import GraphQLLanguage
import SchemaModel
import SQL

/// `update_<table>`, `update_<table>_by_pk` and each entry of `update_<table>_many`: one `UPDATE`
/// step over the rows the client's `where` picks among those the role may see and update.
extension PlanBuilder {
    /// Adds the step; returns its name.
    func updateStep(_ view: TableView, set: InputValue?, increment: InputValue?, filter: InputValue?,
                    primaryKey: [(column: ColumnModel, value: InputValue)], at field: SelectedField,
                    statement: inout MutationStatement, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLIdentifier {
        guard let permission = view.update else {
            throw GraphQLError("The role may not update '\(view.name)'.", path: path, code: ErrorCode.permissionError)
        }
        let alias: SQLIdentifier = "t"
        var assignments: [SQLAssignment] = []
        var assigned: Set<String> = []
        for (operatorName, input, incrementing) in [("_set", set, false), ("_inc", increment, true)] {
            guard let input, case .object(let members) = variables.layout(input) else { continue }
            for (key, value) in members {
                guard let column = view.updateColumns.first(where: { $0.name == key }) else {
                    throw planningError("field '\(key)' not found in type '\(view.name)\(operatorName == "_set" ? "_set_input" : "_inc_input")'",
                                        at: value, path: path)
                }
                guard assigned.insert(key).inserted else {
                    throw planningError("column '\(key)' can be updated only once; it appears in both _set and _inc", at: value, path: path)
                }
                let given = writtenValue(value, column: column)
                let current = SQLExpression.column(table: alias, column.sqlIdentifier)
                assignments.append(SQLAssignment(column.sqlIdentifier, incrementing ? .binary(current, .plus, given) : given))
            }
        }
        guard !assignments.isEmpty else {
            throw planningError("at least one of _set and _inc must name a column to update", at: field, path: path)
        }
        assignments += presetAssignments(permission.presets, of: view)

        let conditions = try targetRows(view, allowed: permission.filter, filter: filter, primaryKey: primaryKey, as: alias, path: path)
        let name = nextAlias("w")
        let update = SQLUpdate(view.tableName, as: alias, set: assignments, where: .and(conditions),
                               returning: returnedImage(view, row: alias))
        statement.add(.update(update), named: name, of: view, kind: .update)
        return name
    }

    /// `DELETE` of the rows the client's `where` (or key) picks among those the role may see
    /// and delete. Adds the step; returns its name.
    func deleteStep(_ view: TableView, filter: InputValue?, primaryKey: [(column: ColumnModel, value: InputValue)],
                    statement: inout MutationStatement, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLIdentifier {
        guard let permission = view.delete else {
            throw GraphQLError("The role may not delete from '\(view.name)'.", path: path, code: ErrorCode.permissionError)
        }
        let alias: SQLIdentifier = "t"
        let conditions = try targetRows(view, allowed: permission.filter, filter: filter, primaryKey: primaryKey, as: alias, path: path)
        let name = nextAlias("w")
        statement.add(.delete(SQLDelete(from: view.tableName, as: alias, where: .and(conditions), returning: returnedImage(view, row: alias))),
                      named: name, of: view, kind: .delete)
        return name
    }

    /// The rows an update or delete reaches: the session tenant's, visible under the select
    /// permission, allowed by the operation's permission filter, and picked by the client's
    /// `where` or key.
    private func targetRows(_ view: TableView, allowed: RowFilter, filter: InputValue?, primaryKey: [(column: ColumnModel, value: InputValue)],
                            as alias: SQLIdentifier, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [SQLExpression] {
        var conditions = scope(view, as: alias)
        conditions += restriction(allowed, on: view, as: alias)
        if let filter {
            conditions.append(compile(try whereCondition(filter, on: view, path: path), on: view, as: alias))
        }
        return conditions + keyConditions(primaryKey, row: alias)
    }

    /// `key = value` for each primary key column a `_by_pk` field gives.
    private func keyConditions(_ key: [(column: ColumnModel, value: InputValue)], row alias: SQLIdentifier) -> [SQLExpression] {
        key.map { column, value in
            let operand = boundOperand(value, json: ColumnCodec.bindsAsJSON(column.type))
            return comparison(.column(table: alias, column.sqlIdentifier), column.type, .eq, operand)
        }
    }
}
