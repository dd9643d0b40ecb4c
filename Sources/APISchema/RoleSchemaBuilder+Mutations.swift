import SchemaModel

/// The mutation side: inserts (with nested inserts and upserts), updates and deletes, each only
/// where the role's permissions allow it. Updates and deletes choose rows with `where`, so they
/// need the role to be able to select from the table too.
extension RoleSchemaBuilder {
    mutating func mutationFields(_ view: TableView) -> [SDLWriter.Field] {
        var fields: [SDLWriter.Field] = []
        let name = view.name
        if view.insert != nil, !view.insertColumns.isEmpty {
            defineInsertInput(view)
            defineMutationResponse(view)
            var arguments = [SDLWriter.Field("objects", "[\(name)_insert_input!]!", description: "the rows to be inserted")]
            if defineOnConflict(view) {
                arguments.append(SDLWriter.Field("on_conflict", "\(name)_on_conflict", description: "upsert condition"))
            }
            fields.append(SDLWriter.Field("insert_\(name)", "\(name)_mutation_response",
                                          description: "insert data into the table: \"\(name)\"", arguments: arguments))
            if view.isSelectable {
                var one = [SDLWriter.Field("object", "\(name)_insert_input!", description: "the row to be inserted")]
                one += arguments.dropFirst()
                fields.append(SDLWriter.Field("insert_\(name)_one", name,
                                              description: "insert a single row into the table: \"\(name)\"", arguments: one))
            }
        }
        if view.update != nil, view.isSelectable, !view.updateColumns.isEmpty {
            defineMutationResponse(view)
            let changes = updateArguments(view)
            fields.append(SDLWriter.Field("update_\(name)", "\(name)_mutation_response",
                                          description: "update data of the table: \"\(name)\"",
                                          arguments: changes + [SDLWriter.Field("where", "\(name)_bool_exp!",
                                                                                description: "filter the rows which have to be updated")]))
            if let key = view.primaryKey {
                writer.input("\(name)_pk_columns_input", description: "primary key columns input for table: \(name)",
                             fields: key.map { SDLWriter.Field($0.name, scalar($0.type) + "!") })
                fields.append(SDLWriter.Field("update_\(name)_by_pk", name,
                                              description: "update single row of the table: \"\(name)\"",
                                              arguments: changes + [SDLWriter.Field("pk_columns", "\(name)_pk_columns_input!")]))
            }
            writer.input("\(name)_updates", description: nil,
                         fields: changes + [SDLWriter.Field("where", "\(name)_bool_exp!", description: "filter the rows which have to be updated")])
            fields.append(SDLWriter.Field("update_\(name)_many", "[\(name)_mutation_response]",
                                          description: "update multiples rows of table: \"\(name)\"",
                                          arguments: [SDLWriter.Field("updates", "[\(name)_updates!]!", description: "updates to execute, in order")]))
        }
        if view.delete != nil, view.isSelectable {
            defineMutationResponse(view)
            fields.append(SDLWriter.Field("delete_\(name)", "\(name)_mutation_response",
                                          description: "delete data from the table: \"\(name)\"",
                                          arguments: [SDLWriter.Field("where", "\(name)_bool_exp!", description: "filter the rows which have to be deleted")]))
            if let key = view.primaryKey {
                fields.append(SDLWriter.Field("delete_\(name)_by_pk", name, description: "delete single row from the table: \"\(name)\"",
                                              arguments: key.map { SDLWriter.Field($0.name, scalar($0.type) + "!") }))
            }
        }
        return fields
    }

    mutating func defineMutationResponse(_ view: TableView) {
        let name = "\(view.name)_mutation_response"
        guard !writer.has(name) else { return }
        var fields = [SDLWriter.Field("affected_rows", "Int!", description: "number of rows affected by the mutation")]
        if view.isSelectable {
            defineObject(view)
            fields.append(SDLWriter.Field("returning", "[\(view.name)!]!", description: "data from the rows affected by the mutation"))
        }
        writer.object(name, description: "response of any mutation on the table \"\(view.name)\"", fields: fields)
    }

    /// `<table>_insert_input`: the insertable columns, and relationships whose target the role may insert into.
    mutating func defineInsertInput(_ view: TableView) {
        let name = "\(view.name)_insert_input"
        guard writer.claim(name + "#input") else { return }
        var fields = view.insertColumns.map { SDLWriter.Field($0.name, scalar($0.type)) }
        for relationship in view.table.relationships {
            guard let target = views[relationship.target], target.insert != nil, !target.insertColumns.isEmpty else { continue }
            defineInsertInput(target)
            let conflict = defineOnConflict(target)
            switch relationship.kind {
            case .object:
                let input = "\(target.name)_obj_rel_insert_input"
                writer.input(input, description: "input type for inserting object relation for remote table \"\(target.name)\"",
                             fields: [SDLWriter.Field("data", "\(target.name)_insert_input!")]
                                + (conflict ? [SDLWriter.Field("on_conflict", "\(target.name)_on_conflict", description: "upsert condition")] : []))
                fields.append(SDLWriter.Field(relationship.name, input))
            case .array:
                let input = "\(target.name)_arr_rel_insert_input"
                writer.input(input, description: "input type for inserting array relation for remote table \"\(target.name)\"",
                             fields: [SDLWriter.Field("data", "[\(target.name)_insert_input!]!")]
                                + (conflict ? [SDLWriter.Field("on_conflict", "\(target.name)_on_conflict", description: "upsert condition")] : []))
                fields.append(SDLWriter.Field(relationship.name, input))
            }
        }
        writer.input(name, description: "input type for inserting data into table \"\(view.name)\"", fields: fields)
    }

    /// `<table>_on_conflict`, offered only to roles that may also update the table; false otherwise.
    mutating func defineOnConflict(_ view: TableView) -> Bool {
        guard view.update != nil, view.isSelectable, !view.updateColumns.isEmpty else { return false }
        let name = "\(view.name)_on_conflict"
        guard !writer.has(name) else { return true }
        writer.enumeration("\(view.name)_constraint", description: "unique or primary key constraints on table \"\(view.name)\"",
                           values: view.constraints.map { ($0.value, "unique or primary key constraint") })
        writer.enumeration("\(view.name)_update_column", description: "update columns of table \"\(view.name)\"",
                           values: view.updateColumns.map { ($0.name, "column name") })
        defineBoolExp(view)
        writer.input(name, description: "on_conflict condition type for table \"\(view.name)\"", fields: [
            SDLWriter.Field("constraint", "\(view.name)_constraint!"),
            SDLWriter.Field("update_columns", "[\(view.name)_update_column!]!", defaultValue: "[]"),
            SDLWriter.Field("where", "\(view.name)_bool_exp"),
        ])
        return true
    }

    /// `_set` and, for numeric columns, `_inc`.
    mutating func updateArguments(_ view: TableView) -> [SDLWriter.Field] {
        let columns = view.updateColumns
        writer.input("\(view.name)_set_input", description: "input type for updating data in table \"\(view.name)\"",
                     fields: columns.map { SDLWriter.Field($0.name, scalar($0.type)) })
        var arguments = [SDLWriter.Field("_set", "\(view.name)_set_input", description: "sets the columns of the filtered rows to the given values")]
        let numeric = columns.filter(\.type.isNumeric)
        if !numeric.isEmpty {
            writer.input("\(view.name)_inc_input", description: "input type for incrementing numeric columns in table \"\(view.name)\"",
                         fields: numeric.map { SDLWriter.Field($0.name, scalar($0.type)) })
            arguments.insert(SDLWriter.Field("_inc", "\(view.name)_inc_input", description: "increments the numeric columns with given value of the filtered values"), at: 0)
        }
        return arguments
    }
}
