/// Streaming subscriptions, as Hasura names them: `<table>_stream(batch_size:, cursor:, where:)`
/// sends the rows after a cursor column's value in batches, then new rows as they commit.
extension RoleSchemaBuilder {
    mutating func streamField(_ view: TableView) -> SDLWriter.Field? {
        guard view.isSelectable, !view.columns.isEmpty else { return nil }
        defineBoolExp(view)
        defineStreamCursor(view)
        return SDLWriter.Field("\(view.name)_stream", "[\(view.name)!]!",
                               description: "fetch data from the table in a streaming manner: \"\(view.name)\"",
                               arguments: [
                                   SDLWriter.Field("batch_size", "Int!", description: "maximum number of rows returned in a single batch"),
                                   SDLWriter.Field("cursor", "[\(view.name)_stream_cursor_input]!",
                                                   description: "cursor to stream the results returned by the query"),
                                   SDLWriter.Field("where", "\(view.name)_bool_exp", description: "filter the rows returned"),
                               ])
    }

    private mutating func defineStreamCursor(_ view: TableView) {
        guard writer.claim("\(view.name)#stream") else { return }
        if !writer.has("cursor_ordering") {
            writer.enumeration("cursor_ordering", description: "ordering argument of a cursor", values: [
                ("ASC", "ascending ordering of the cursor"),
                ("DESC", "descending ordering of the cursor"),
            ])
        }
        let values = view.columns.map { SDLWriter.Field($0.name, scalar($0.type), description: $0.description) }
        writer.input("\(view.name)_stream_cursor_value_input",
                     description: "Initial value of the column from where the streaming should start", fields: values)
        writer.input("\(view.name)_stream_cursor_input", description: "Streaming cursor of the table \"\(view.name)\"", fields: [
            SDLWriter.Field("initial_value", "\(view.name)_stream_cursor_value_input!",
                            description: "Stream column input with initial value"),
            SDLWriter.Field("ordering", "cursor_ordering", description: "cursor ordering"),
        ])
    }
}
