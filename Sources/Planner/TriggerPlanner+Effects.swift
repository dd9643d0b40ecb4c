import APISchema
import SchemaModel
import SQL

/// The effects: notification rows, history rows, SQL function calls.
extension TriggerPlanner {
    /// One row per event and distinct recipient, keyed `trigger:event:recipient`; a row whose key
    /// is already taken (by a direct insert with the same key) is left as it is.
    func notifications(_ trigger: EventTrigger, _ resolver: NotificationResolver, source view: TableView, target: TableView) -> PlanStatement {
        let (events, imageJoins) = eventSource(view)
        let recipients = builder.nextAlias("rcp")
        let recipient = SQLExpression.column(table: recipients, "value")
        let joins = imageJoins + [SQLJoin(leftLateral: .unionAll(resolver.recipients.map { values(at: $0, from: view) }, as: recipients))]
        let key = SQLExpression.builtin("concat", [.value(.text(trigger.handlerName + ":")), member("id"), .value(.text(":")), .cast(recipient, .text)])
        var columns = ["user_id", "kind", "payload", "idempotency_key"].map(target.sqlColumn)
        var outputs: [SQLSelect.Output] = [
            .init(cast(recipient, to: "user_id", of: target)), .init(.value(.text(resolver.kind))),
            .init(payload(resolver.payload, view)), .init(key),
        ]
        if let (name, value) = tenantColumn(of: target) {
            columns.insert(name, at: 0)
            outputs.insert(.init(value), at: 0)
        }
        let order = [SQLExpression.column(table: Self.event, Self.position), recipient]
        let select = SQLSelect(distinctOn: order, outputs, from: events, joins: joins,
                               where: .and([takes(trigger, view), .isNotNull(recipient)]), orderBy: order.map { SQLOrdering($0) })
        let conflict = target.table.uniqueConstraints.first { $0.columns.contains("idempotency_key") }
            .map { SQLOnConflict(constraint: SQLIdentifier($0.name), .nothing) }
        return statement(SQLRenderer.render(.insert(SQLInsert(into: target.tableName, as: builder.nextAlias("w"), columns: columns,
                                                              query: select, onConflict: conflict, returning: []))))
    }

    /// One row per event: the entity and its key, the operation, the actor, the row before and
    /// after (or only what changed), the event, and the entity's next version.
    func history(_ trigger: EventTrigger, source view: TableView, target: TableView, changedOnly: Bool) -> PlanStatement {
        let (events, joins) = eventSource(view)
        let keys = member("primary_key", json: true)
        let entityID: SQLExpression = view.table.primaryKey.count == 1
            ? .binary(keys, .jsonMemberText, .value(.text(view.table.sqlName(ofColumn: view.table.primaryKey[0])))) : .cast(keys, .text)
        let entity = member("table_name")
        let earlier = builder.nextAlias("h")
        let lastVersion = SQLExpression.subquery(SQLSelect(
            [.init(.aggregate(SQLAggregate("max", [.column(table: earlier, "version")])))], from: .table(target.tableName, as: earlier),
            where: .and(builder.scope(target, as: earlier) + [
                .binary(.column(table: earlier, "entity"), .equal, entity), .binary(.column(table: earlier, "entity_id"), .equal, entityID),
            ])))
        let version = SQLExpression.binary(.coalesce([lastVersion, .integer(0)]), .plus,
                                           .rowNumber(partitionBy: [entityID], orderBy: [SQLOrdering(.column(table: Self.event, Self.position))]))
        let before = changedOnly ? changes(from: "old", to: "new") : member("old", json: true)
        let after = changedOnly ? changes(from: "new", to: "old") : member("new", json: true)
        var columns = ["entity", "entity_id", "operation", "actor_id", "before", "after", "change_event_id", "version"].map(target.sqlColumn)
        var outputs: [SQLSelect.Output] = [
            .init(entity), .init(entityID), .init(member("op")),
            .init(cast(.caseWhen([SQLWhen(.binary(member("actor"), .notEqual, .value(.text(""))), then: member("actor"))], else: nil),
                       to: "actor_id", of: target)),
            .init(before), .init(after), .init(cast(member("id"), to: "change_event_id", of: target)), .init(version),
        ]
        if let (name, value) = tenantColumn(of: target) {
            columns.insert(name, at: 0)
            outputs.insert(.init(value), at: 0)
        }
        let select = SQLSelect(outputs, from: events, joins: joins, where: takes(trigger, view),
                               orderBy: [SQLOrdering(.column(table: Self.event, Self.position))])
        return statement(SQLRenderer.render(.insert(SQLInsert(into: target.tableName, as: builder.nextAlias("w"), columns: columns,
                                                              query: select, returning: []))))
    }

    /// The members of row image `image` whose value differs in `other`.
    private func changes(from image: String, to other: String) -> SQLExpression {
        let entry = builder.nextAlias("k")
        return .subquery(SQLSelect(
            [.init(.aggregate(SQLAggregate("jsonb_object_agg", [.column(table: entry, "key"), .column(table: entry, "value")])))],
            from: .function(.builtin("jsonb_each", [member(image, json: true)]), as: entry),
            where: .binary(.binary(member(other, json: true), .jsonMember, .column(table: entry, "key")), .isDistinctFrom,
                           .column(table: entry, "value"))))
    }

    /// `schema.function(event)` for each event the trigger takes, in order.
    func call(_ trigger: EventTrigger, _ resolver: SQLFunctionResolver, source view: TableView) -> PlanStatement {
        let (events, joins) = eventSource(view)
        let function = SQLQualifiedName(schema: SQLIdentifier(resolver.schema), SQLIdentifier(resolver.function))
        let select = SQLSelect([.init(.cast(.function(function, [.column(table: Self.event, "value")]), .text))], from: events, joins: joins,
                               where: takes(trigger, view), orderBy: [SQLOrdering(.column(table: Self.event, Self.position))])
        return statement(SQLRenderer.render(select))
    }

    /// The ids of the events the trigger takes, in order, comma-separated: what an effect made
    /// outside the database (a webhook) is made for.
    func taken(_ trigger: EventTrigger, source view: TableView) -> PlanStatement {
        let (events, joins) = eventSource(view)
        let ids = SQLAggregate("string_agg", [member("id"), .value(.text(","))], orderBy: [SQLOrdering(.column(table: Self.event, Self.position))])
        return statement(SQLRenderer.render(SQLSelect([.init(.aggregate(ids))], from: events, joins: joins, where: takes(trigger, view))))
    }

    /// A trigger on a domain event: its function called with each event, in order; a webhook's
    /// takes every event (nothing to filter on).
    func domainEvent(_ trigger: EventTrigger) -> PlanStatement {
        let events = SQLSource.numberedRows(.builtin("jsonb_array_elements", [.cast(builder.parameter(Self.eventsParameter), .jsonb)]),
                                            as: Self.event, columns: ["value"], ordinality: Self.position)
        var outputs: [SQLSelect.Output] = [.init(member("id"))]
        if case .sql(let resolver) = trigger.resolver {
            let function = SQLQualifiedName(schema: SQLIdentifier(resolver.schema), SQLIdentifier(resolver.function))
            outputs = [.init(.cast(.function(function, [.column(table: Self.event, "value")]), .text))]
        }
        return statement(SQLRenderer.render(SQLSelect(outputs, from: events, orderBy: [SQLOrdering(.column(table: Self.event, Self.position))])))
    }

    // MARK: Payloads

    /// A payload template as a `jsonb` expression.
    func payload(_ template: PayloadTemplate, _ view: TableView) -> SQLExpression {
        switch template {
        case .object(let members):
            return .builtin("jsonb_build_object", members.flatMap { [SQLExpression.value(.text($0.key)), payload($0.value, view)] })
        case .array(let items):
            return .builtin("jsonb_build_array", items.map { payload($0, view) })
        case .text(let parts):
            if parts.count == 1, case .field(let field) = parts[0] { return json(field, view) }
            return .builtin("to_jsonb", [.builtin("concat", parts.map { part -> SQLExpression in
                switch part {
                case .literal(let text): .value(.text(text))
                case .field(.event(let name)): member(Self.eventMember(name))
                case .field(.row(let path)): .cast(value(at: path, from: view), .text)
                }
            })])
        case .number(let text):
            return .cast(.value(.text(text)), .jsonb)
        case .boolean(let flag):
            return .cast(.value(.text(flag ? "true" : "false")), .jsonb)
        case .null:
            return .cast(.value(.text("null")), .jsonb)
        }
    }

    private func json(_ field: TemplateField, _ view: TableView) -> SQLExpression {
        switch field {
        case .event(let name): member(Self.eventMember(name), json: true)
        case .row(let path): .builtin("to_jsonb", [value(at: path, from: view)])
        }
    }

    static func eventMember(_ name: String) -> String { name == "table" ? "table_name" : name }
}
