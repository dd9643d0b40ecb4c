import APISchema
import GraphQLLanguage
import GraphQLTypeSystem
import SQL

/// The event channel, `change_events(tables:, types:, after:)`: a stream over the tenant's settled
/// change events in the order `(transaction_id, id)`, whose cursor is the event id, at first
/// with the snapshot of the start (see `strata.settled_change_events`). Each batch scans up to `eventBatch` events after the cursor
/// and sends those whose row the role may see under its select permission — before or
/// after the change — showing only the columns it may read; and the domain events of the types
/// the role may follow (`events.channels`), whole.
extension PlanBuilder {
    static let eventBatch = 100

    func eventChannel(field: SelectedField, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> (SQLSelect, StreamPlan) {
        let subscribable = api.tables.values.filter { $0.isSelectable && $0.table.capturesEveryWrite }.sorted { $0.name < $1.name }
        var tables = subscribable
        if let input = field.argument("tables") {
            var names: [String] = []
            switch variables.jsonValue(input) {
            case .array(let items): names = items.compactMap { if case .string(let name) = $0 { name } else { nil } }
            case .string(let name): names = [name]
            default: names = subscribable.map(\.name)
            }
            tables = []
            for name in names where !tables.contains(where: { $0.name == name }) {
                guard let view = subscribable.first(where: { $0.name == name }) else {
                    throw planningError("'\(name)' is not a table this role may follow the changes of", at: input, path: path)
                }
                tables.append(view)
            }
            // An empty list is a mistake, unless the client asks for domain events instead.
            guard !tables.isEmpty || field.argument("types") != nil else {
                throw planningError("\"tables\" must name at least one table", at: input, path: path)
            }
        }
        var types = api.domainEvents
        if let input = field.argument("types") {
            var names: [String] = []
            switch variables.jsonValue(input) {
            case .array(let items): names = items.compactMap { if case .string(let name) = $0 { name } else { nil } }
            case .string(let name): names = [name]
            default: names = api.domainEvents
            }
            types = []
            for name in names where !types.contains(name) {
                guard api.domainEvents.contains(name) else {
                    throw planningError("'\(name)' is not a domain event this role may follow", at: input, path: path)
                }
                types.append(name)
            }
        }
        for view in tables { noteRead(view.name) }
        for type in types { noteRead(type) }
        var start: String?
        if let input = field.argument("after"), case .string(let text) = variables.jsonValue(input) {
            guard let id = Int64(text), id >= 0 else { throw planningError("\"after\" must be the id of an event", at: input, path: path) }
            start = String(id)
        }

        let event = nextAlias("e")
        func column(_ name: SQLIdentifier) -> SQLExpression { .column(table: event, name) }
        let cursor = parameter(.variable(StreamPlan.cursorVariable, json: false))
        let source = SQLSource.function(.function(SQLQualifiedName(schema: "strata", "settled_change_events"), [
            .cast(cursor, .text), .cast(.value(.textArray(tables.map(\.name) + types)), SQLType.text.array), .integer(Int64(Self.eventBatch)),
        ]), as: event)
        // A domain event of a type followed shows its whole payload, to its tenant.
        let isDomainEvent = SQLExpression.binary(column("op"), .equal, .value(.text("event")))
        func perTable(_ value: (TableView) -> SQLExpression, otherwise: SQLExpression, domainEvent: SQLExpression) -> SQLExpression {
            .caseWhen([SQLWhen(isDomainEvent, then: domainEvent)]
                + tables.map { SQLWhen(.binary(column("table_name"), .equal, .value(.text($0.name))), then: value($0)) }, else: otherwise)
        }

        var pairs: [(String, SQLExpression)] = []
        for selected in fields(field.subselections) {
            let value: SQLExpression
            switch selected.name {
            case "__typename": value = typeName("change_event")
            case "id": value = .cast(column("id"), .text)
            case "table": value = column("table_name")
            case "op": value = column("op")
            case "primary_key": value = column("primary_key")
            case "new", "old": value = perTable({ readable($0, image: column(SQLIdentifier(selected.name))) }, otherwise: .null,
                                                domainEvent: column(SQLIdentifier(selected.name)))
            case "at": value = column("created_at")
            default: throw planningError("field '\(selected.name)' not found in type 'change_event'", at: selected, path: path)
            }
            pairs.append((selected.responseKey, value))
        }
        let visible = perTable({ view in
            .or([self.visible(view, image: column("new")), self.visible(view, image: column("old"))])
        }, otherwise: .boolean(false), domainEvent: .boolean(true))
        let scanned = SQLSelect([.init(column("id"), as: "id"), .init(column("transaction_id"), as: "transaction_id"), .init(visible, as: "visible"),
                                 .init(try jsonObject(pairs, at: field, path: path), as: Self.rootColumn)], from: source)

        let batch = nextAlias("c")
        let order = [SQLOrdering(.column(table: batch, "transaction_id")), SQLOrdering(.column(table: batch, "id"))]
        // Every scanned id moves the cursor, seen or not; with no cursor yet, it starts now: the
        // last settled event and the snapshot of what had committed (`strata.change_event_start`).
        let cursors = SQLExpression.coalesce([
            .aggregate(SQLAggregate("json_agg", [.function(SQLQualifiedName(schema: "strata", "change_event_cursor"), [
                .column(table: batch, "id"), .column(table: batch, "transaction_id"), .cast(cursor, .text),
            ])], orderBy: order)),
            .builtin("json_build_array", [.caseWhen([SQLWhen(.isNull(cursor), then: .function(
                SQLQualifiedName(schema: "strata", "change_event_start"), []))], else: nil)]),
        ])
        let object = try jsonObject([
            ("rows", jsonArray(.column(table: batch, Self.rootColumn), orderBy: order, filter: .column(table: batch, "visible"))),
            ("cursors", cursors),
        ], at: field, path: path)
        return (SQLSelect([.init(object, as: Self.rootColumn)], from: .subquery(scanned, as: batch)),
                StreamPlan(responseKey: field.responseKey, initialCursor: start, batchSize: Self.eventBatch, followsSettledChanges: true))
    }

    /// Whether the role may see the row image `image` (a `jsonb` column of the event) of `view`:
    /// the row rebuilt with `jsonb_populate_record` passes the tenant scope and select filter.
    private func visible(_ view: TableView, image: SQLExpression) -> SQLExpression {
        let row = nextAlias("n")
        let rebuilt = SQLExpression.builtin("jsonb_populate_record", [.cast(.null, .row(of: view.tableName)), image])
        return .and([.isNotNull(image), .exists(SQLSelect([.init(.integer(1))], from: .function(rebuilt, as: row),
                                                          where: .and(scope(view, as: row))))])
    }

    /// The row image's members the role may read, under the names the API gives them.
    private func readable(_ view: TableView, image: SQLExpression) -> SQLExpression {
        let member = nextAlias("k")
        let key = SQLExpression.column(table: member, "key")
        let mapped = view.columns.filter { $0.sqlName != $0.name }
        let apiKey = mapped.isEmpty ? key : .caseWhen(mapped.map { SQLWhen(.binary(key, .equal, .value(.text($0.sqlName))), then: .value(.text($0.name))) },
                                                      else: key)
        return .subquery(SQLSelect(
            [.init(.aggregate(SQLAggregate("jsonb_object_agg", [apiKey, .column(table: member, "value")])))],
            from: .function(.builtin("jsonb_each", [image]), as: member),
            where: .quantified(key, .equal, .any, .cast(.value(.textArray(view.columns.map(\.sqlName))), SQLType.text.array))))
    }
}
