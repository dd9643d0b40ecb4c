/// Rendering of data-modifying statements and of `WITH` queries built from them.
extension SQLRenderer {
    public static func render(_ query: SQLWithQuery) -> RenderedSQL {
        var renderer = SQLRenderer()
        renderer.write(query)
        return RenderedSQL(text: renderer.text, binds: renderer.binds)
    }

    public static func render(_ write: SQLWrite) -> RenderedSQL {
        var renderer = SQLRenderer()
        renderer.write(write)
        return RenderedSQL(text: renderer.text, binds: renderer.binds)
    }

    mutating func write(_ query: SQLWithQuery) {
        if !query.tables.isEmpty {
            text += "WITH "
            list(query.tables) { renderer, table in
                renderer.text += table.name.rendered + " AS ("
                renderer.write(table.write)
                renderer.text += ")"
            }
            text += " "
        }
        write(query.body)
    }

    mutating func write(_ write: SQLWrite) {
        switch write {
        case .insert(let insert): self.write(insert)
        case .update(let update): self.write(update)
        case .delete(let delete): self.write(delete)
        }
    }

    mutating func write(_ insert: SQLInsert) {
        text += "INSERT INTO " + insert.table.rendered + " AS " + insert.alias.rendered
        if let query = insert.query {
            text += " ("
            list(insert.columns) { $0.text += $1.rendered }
            text += ") "
            write(query)
        } else if insert.columns.isEmpty {
            text += " DEFAULT VALUES"
        } else {
            text += " ("
            list(insert.columns) { $0.text += $1.rendered }
            text += ") VALUES "
            list(insert.rows) { renderer, row in
                renderer.text += "("
                renderer.list(row) { $0.write($1) }
                renderer.text += ")"
            }
        }
        if let conflict = insert.onConflict {
            text += " ON CONFLICT ON CONSTRAINT " + conflict.constraint.rendered
            switch conflict.action {
            case .nothing:
                text += " DO NOTHING"
            case .update(let assignments, let filter):
                text += " DO UPDATE SET "
                write(assignments)
                if let filter {
                    text += " WHERE "
                    write(filter)
                }
            }
        }
        returning(insert.returning)
    }

    mutating func write(_ update: SQLUpdate) {
        text += "UPDATE " + update.table.rendered + " AS " + update.alias.rendered + " SET "
        write(update.assignments)
        if let filter = update.filter {
            text += " WHERE "
            write(filter)
        }
        returning(update.returning)
    }

    mutating func write(_ delete: SQLDelete) {
        text += "DELETE FROM " + delete.table.rendered + " AS " + delete.alias.rendered
        if let filter = delete.filter {
            text += " WHERE "
            write(filter)
        }
        returning(delete.returning)
    }

    private mutating func write(_ assignments: [SQLAssignment]) {
        list(assignments) { renderer, assignment in
            renderer.text += assignment.column.rendered + " = "
            renderer.write(assignment.value)
        }
    }

    private mutating func returning(_ outputs: [SQLSelect.Output]) {
        guard !outputs.isEmpty else { return }
        text += " RETURNING "
        list(outputs) { renderer, output in
            renderer.write(output.expression)
            if let alias = output.alias { renderer.text += " AS " + alias.rendered }
        }
    }
}
