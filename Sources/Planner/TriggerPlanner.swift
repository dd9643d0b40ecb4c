import APISchema
import SchemaModel
import SQL

/// The statement that makes an event trigger's effect for a batch of one tenant's events: the
/// events arrive as one JSON array parameter, are unnested in order with their row images
/// rebuilt as typed rows (`old`, `new`), and filtered by the trigger's operations, changed
/// columns and condition; the effect is one `INSERT … SELECT` (notification, history) or one
/// call per event (sql). Tables are read under the session's tenant, as every request's are.
public struct TriggerPlanner {
    let api: RoleSchema
    let builder: PlanBuilder

    /// The parameter carrying the events: a JSON array of objects with `id`, `tenant_id`,
    /// `table_name`, `op`, `primary_key`, `old`, `new` and `actor`.
    public static let eventsParameter = PlanParameter.variable("events", json: true)

    /// `api` is the background role's (`RoleSchema.background`).
    public static func statement(for trigger: EventTrigger, api: RoleSchema) -> PlanStatement? {
        let planner = TriggerPlanner(api: api, builder: PlanBuilder(api: api, variables: VariableReader(), fragments: [:]))
        if trigger.isDomainEvent { return planner.domainEvent(trigger) }
        guard let view = api.tables[trigger.table] else { return nil }
        switch trigger.resolver {
        case .notification(let resolver):
            guard let target = api.tables[resolver.table] else { return nil }
            return planner.notifications(trigger, resolver, source: view, target: target)
        case .history(let resolver):
            guard let target = api.tables[resolver.table] else { return nil }
            return planner.history(trigger, source: view, target: target, changedOnly: resolver.changedColumnsOnly)
        case .sql(let resolver):
            return planner.call(trigger, resolver, source: view)
        case .webhook:
            return planner.taken(trigger, source: view)
        }
    }

    // MARK: The events and their row images

    static let event: SQLIdentifier = "ev"
    static let position: SQLIdentifier = "n"

    /// `ev.value ->> 'name'` (or `->` for JSON members).
    func member(_ name: String, json: Bool = false) -> SQLExpression {
        .binary(.column(table: Self.event, "value"), json ? .jsonMember : .jsonMemberText, .value(.text(name)))
    }

    func image(_ image: RowImage) -> SQLIdentifier { SQLIdentifier(image.rawValue) }

    /// `jsonb_array_elements($events) WITH ORDINALITY AS ev(value, n)`, each event's `old` and
    /// `new` joined as rows of the table.
    func eventSource(_ view: TableView) -> (SQLSource, [SQLJoin]) {
        let events = SQLSource.numberedRows(.builtin("jsonb_array_elements", [.cast(builder.parameter(Self.eventsParameter), .jsonb)]),
                                            as: Self.event, columns: ["value"], ordinality: Self.position)
        let joins = [RowImage.old, .new].map { which in
            SQLJoin(leftLateral: .function(.builtin("jsonb_populate_record", [.cast(.null, .row(of: view.tableName)),
                                                                               member(which.rawValue, json: true)]),
                                           as: image(which)))
        }
        return (events, joins)
    }

    /// Which events the trigger takes: its operations, the columns an update must change, its
    /// condition.
    func takes(_ trigger: EventTrigger, _ view: TableView) -> SQLExpression {
        var terms: [SQLExpression] = []
        let op = member("op")
        if trigger.operations.count < ChangeOperation.allCases.count {
            terms.append(.quantified(op, .equal, .any, .cast(.value(.textArray(trigger.operations.map(\.rawValue).sorted())), SQLType.text.array)))
        }
        if !trigger.columns.isEmpty {
            let changed = trigger.columns.map { name -> SQLExpression in
                .binary(.column(table: image(.old), view.sqlColumn(name)), .isDistinctFrom, .column(table: image(.new), view.sqlColumn(name)))
            }
            terms.append(.or([.binary(op, .notEqual, .value(.text(ChangeOperation.update.rawValue)))] + changed))
        }
        if let condition = trigger.condition { terms.append(compile(condition, view)) }
        return .and(terms)
    }

    private func compile(_ condition: TriggerCondition, _ view: TableView) -> SQLExpression {
        switch condition {
        case .and(let terms): .and(terms.map { compile($0, view) })
        case .or(let terms): .or(terms.map { compile($0, view) })
        case .not(let inner): .not(compile(inner, view))
        case .row(let which, let filter):
            .and([.isNotNull(member(which.rawValue, json: true)),
                  builder.compile(builder.permissionCondition(filter, on: view), on: view, as: image(which))])
        }
    }

    // MARK: Paths through relationships

    /// The values at `path` for one event: a `SELECT` with one output, `value` — at most one row
    /// through object relationships, any number through array ones.
    func values(at path: RowPath, from view: TableView) -> SQLSelect {
        let start = image(path.image)
        guard !path.relationships.isEmpty else {
            return SQLSelect([.init(.column(table: start, view.sqlColumn(path.column)), as: "value")])
        }
        // Walk to the last table, then select from it the rows linked back to the row image by
        // a chain of EXISTS.
        var hops: [(relationship: RelationshipModel, view: TableView)] = []
        var current = view
        for name in path.relationships {
            guard let relationship = current.table.relationship(named: name), let next = api.tables[relationship.target] else { break }
            hops.append((relationship, next))
            current = next
        }
        let aliases = hops.map { _ in builder.nextAlias("p") }
        func linked(upTo index: Int) -> SQLExpression {
            let parent = index == 0 ? start : aliases[index - 1]
            let link = builder.link(hops[index].relationship, parent: parent, child: aliases[index])
            guard index > 0 else { return link }
            let previous = hops[index - 1].view
            return .and([link, .exists(SQLSelect([.init(.integer(1))], from: .table(previous.tableName, as: aliases[index - 1]),
                                                 where: .and(builder.scope(previous, as: aliases[index - 1]) + [linked(upTo: index - 1)])))])
        }
        let last = hops.count - 1
        return SQLSelect([.init(.column(table: aliases[last], hops[last].view.sqlColumn(path.column)), as: "value")],
                         from: .table(hops[last].view.tableName, as: aliases[last]),
                         where: .and(builder.scope(hops[last].view, as: aliases[last]) + [linked(upTo: last)]))
    }

    /// One value at `path` (object relationships only).
    func value(at path: RowPath, from view: TableView) -> SQLExpression {
        path.relationships.isEmpty ? .column(table: image(path.image), view.sqlColumn(path.column))
            : .subquery(values(at: path, from: view).limited(to: 1))
    }

    /// The cast to a column's SQL type.
    func cast(_ value: SQLExpression, to column: String, of view: TableView) -> SQLExpression {
        guard let model = view.table.column(named: column) else { return value }
        return ColumnCodec.input(value, model.type)
    }

    /// The event's tenant as the target table's tenant column, when it has one.
    func tenantColumn(of target: TableView) -> (SQLIdentifier, SQLExpression)? {
        guard let tenant = target.table.tenantColumn else { return nil }
        return (target.sqlColumn(tenant), cast(member("tenant_id"), to: tenant, of: target))
    }

    /// A rendered statement with where each `$n` gets its value.
    func statement(_ text: RenderedSQL) -> PlanStatement {
        PlanStatement(sql: text.text, parameters: text.binds.map { bind in
            switch bind {
            case .value(let value): .value(value)
            case .parameter(let index): builder.parameters[index]
            }
        })
    }
}

extension SQLSelect {
    func limited(to count: Int64) -> SQLSelect {
        var select = self
        select.limit = .integer(count)
        return select
    }
}
