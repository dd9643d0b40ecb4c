import SchemaModel

/// The event channel: `change_events(tables:, after:)` streams the tenant's change events of the
/// tables the role may subscribe to, each showing only the columns the role may read.
extension RoleSchemaBuilder {
    mutating func eventChannelField() -> SDLWriter.Field {
        // Both types always parse.
        let json = scalar(ColumnType("jsonb")!), timestamp = scalar(ColumnType("timestamptz")!)
        writer.object("change_event", description: "A committed change to one row: what an event channel sends.", fields: [
            SDLWriter.Field("id", "String!", description: "The event's position in the tenant's order of changes; pass it as `after` to resume after it"),
            SDLWriter.Field("table", "String!", description: "The table whose row changed, or a domain event's type"),
            SDLWriter.Field("op", "String!", description: "insert, update or delete; event for a domain event (its payload in new)"),
            SDLWriter.Field("primary_key", json + "!", description: "The row's primary key columns"),
            SDLWriter.Field("new", json, description: "The row after the change (the columns the role may read); null for a delete"),
            SDLWriter.Field("old", json, description: "The row before the change (the columns the role may read); null for an insert"),
            SDLWriter.Field("at", timestamp + "!", description: "When the change was made"),
        ])
        return SDLWriter.Field("change_events", "[change_event!]!",
                               description: "The tenant's change events in transaction order, each once no older transaction is running: those after `after` (replayed while retained), then new ones as they settle. Without `after`, from now on.",
                               arguments: [
                                   SDLWriter.Field("tables", "[String!]", description: "Only these tables' events; all the role may subscribe to when absent"),
                                   SDLWriter.Field("types", "[String!]", description: "Only these domain events (strata.emit); all the role may follow when absent"),
                                   SDLWriter.Field("after", "String", description: "The id of the last event already seen"),
                               ])
    }
}
