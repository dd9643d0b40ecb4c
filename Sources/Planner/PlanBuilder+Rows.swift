import APISchema
import GraphQLLanguage
import SchemaModel
import SQL

/// The rows of a table that one selection reads. A base query picks the rows (filters, order,
/// limit) and the columns the selection reads from the table; an outer query builds each row's
/// JSON, joining relationships laterally so they are evaluated only for rows that survive the
/// limit.
struct RowsQuery {
    /// Outputs: one JSON column per requested row shape, `__o<n>` sort keys, aggregated columns.
    var select: SQLSelect
    /// How the rows are ordered, by the names of their sort-key outputs.
    var order: [(name: SQLIdentifier, direction: SQLOrdering.Direction, nulls: SQLOrdering.Nulls)]

    /// The sort keys as orderings over the rows under `alias`.
    func orderings(of alias: SQLIdentifier) -> [SQLOrdering] {
        order.map { SQLOrdering(.column(table: alias, $0.name), $0.direction, nulls: $0.nulls) }
    }
}

/// A JSON object to build for each row: its output column and the selections it answers.
struct RowShape {
    var output: SQLIdentifier
    var selections: [SelectionSet]
}

extension PlanBuilder {
    static let rootColumn: SQLIdentifier = "__root"
    /// A row's position in its list, for capping `nodes` beside uncapped aggregates.
    static let rowNumberColumn: SQLIdentifier = "__i"

    func rows(_ view: TableView, shapes: [RowShape], arguments: RowArguments,
              parent: (alias: SQLIdentifier, relationship: RelationshipModel)?, aggregatedColumns: [String] = [],
              capped: Bool = true, numbered: Bool = false, source: RowSource = .table, field: SelectedField?,
              path: [GraphQLError.PathComponent]) throws(GraphQLError) -> RowsQuery {
        let table = nextAlias("t")
        let from: SQLSource
        switch source {
        case .table: from = tableSource(view, as: table)
        case .written(let steps): from = writtenRows(view, steps: steps, as: table)
        case .function(let call): from = .function(call, as: table)
        }
        // Rows of a write step or of a written table carry their computed fields as columns.
        let computedAsColumns = source.isWritten || written[view.name] != nil
        var conditions: [SQLExpression] = []
        if let parent { conditions.append(link(parent.relationship, parent: parent.alias, child: table)) }
        conditions += scope(view, as: table)
        if let filter = arguments.filter {
            let condition = try whereCondition(filter, on: view, path: path)
            if case .and(let terms) = condition, terms.isEmpty {} else { conditions.append(compile(condition, on: view, as: table)) }
        }
        if let cursor = arguments.cursor {
            let after = comparison(.column(table: table, cursor.column.sqlIdentifier), cursor.column.type,
                                   cursor.direction == .ascending ? .gt : .lt, .scalar(cursor.value))
            conditions.append(.or([.isNull(cursor.value), after]))
        }
        for (column, value) in arguments.primaryKey {
            let operand = scalarOperand(value, json: ColumnCodec.bindsAsJSON(column.type))
            conditions.append(comparison(.column(table: table, column.sqlIdentifier), column.type, .eq, operand))
        }

        var keys = try orderKeys(arguments.orderBy, on: view, as: table, path: path)
        if let cursor = arguments.cursor { keys.insert(SQLOrdering(.column(table: table, cursor.column.sqlIdentifier), cursor.direction), at: 0) }
        let distinctOn = try distinctColumns(arguments.distinctOn, on: view, as: table, keys: &keys, field: field, path: path)

        let shapeFields = shapes.map { fields($0.selections) }
        // Only the columns the selection reads: a role may hold column privileges only.
        var needed = Set(aggregatedColumns)
        for field in shapeFields.joined() {
            if let relationship = view.relationships.first(where: { $0.name == field.name || $0.name + "_aggregate" == field.name }) {
                needed.formUnion(relationship.columnMapping.map(\.source))
            } else {
                needed.insert(field.name)
            }
        }
        var baseOutputs: [SQLSelect.Output] = view.table.columns.filter { needed.contains($0.name) }.map {
            .init(.column(table: table, $0.sqlIdentifier), as: $0.sqlIdentifier)
        }
        for (index, key) in keys.enumerated() {
            baseOutputs.append(.init(key.expression, as: SQLIdentifier("__o\(index)")))
        }
        var computed: Set<String> = []
        for field in shapeFields.joined() {
            guard let function = view.computedFields.first(where: { $0.name == field.name }), computed.insert(function.name).inserted else { continue }
            let value = computedAsColumns ? .column(table: table, Self.computedColumn(function)) : computedValue(function, row: table)
            baseOutputs.append(.init(value, as: Self.computedColumn(function)))
        }
        if baseOutputs.isEmpty { baseOutputs.append(.init(.integer(1), as: "__row")) }
        let base = SQLSelect(distinctOn: distinctOn, baseOutputs, from: from, where: .and(conditions),
                             orderBy: keys, limit: !source.isWritten ? try rowLimit(view, arguments, capped: capped, path: path) : (arguments.single ? .integer(1) : nil),
                             offset: try offset(arguments.offset, path: path))

        let row = nextAlias("b")
        var joins: [SQLJoin] = []
        var outputs: [SQLSelect.Output] = []
        for (shape, fields) in zip(shapes, shapeFields) {
            let pairs = try rowObject(view, fields: fields, row: row, joins: &joins, path: path)
            outputs.append(.init(try jsonObject(pairs, at: field, path: path), as: shape.output))
        }
        var order: [(SQLIdentifier, SQLOrdering.Direction, SQLOrdering.Nulls)] = []
        for (index, key) in keys.enumerated() {
            let name = SQLIdentifier("__o\(index)")
            outputs.append(.init(.column(table: row, name), as: name))
            order.append((name, key.direction, key.nulls))
        }
        for column in aggregatedColumns {
            outputs.append(.init(.column(table: row, view.sqlColumn(column)), as: view.sqlColumn(column)))
        }
        if numbered {
            let orderings = order.map { SQLOrdering(.column(table: row, $0.0), $0.1, nulls: $0.2) }
            outputs.append(.init(.rowNumber(orderBy: orderings), as: Self.rowNumberColumn))
        }
        if outputs.isEmpty { outputs.append(.init(.integer(1), as: "__row")) }
        return RowsQuery(select: SQLSelect(outputs, from: .subquery(base, as: row), joins: joins), order: order)
    }

    /// One row's fields as (response key, JSON value) pairs; relationships become lateral joins.
    func rowObject(_ view: TableView, fields: [SelectedField], row: SQLIdentifier, joins: inout [SQLJoin],
                   path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [(String, SQLExpression)] {
        var pairs: [(String, SQLExpression)] = []
        for field in fields {
            let fieldPath = path + [.field(field.responseKey)]
            let name = field.name
            if name == "__typename" {
                pairs.append((field.responseKey, typeName(view.name)))
            } else if let column = view.columns.first(where: { $0.name == name }) {
                pairs.append((field.responseKey, ColumnCodec.output(.column(table: row, column.sqlIdentifier), type: column.type)))
            } else if let function = view.computedFields.first(where: { $0.name == name }) {
                pairs.append((field.responseKey, ColumnCodec.output(.column(table: row, Self.computedColumn(function)), type: function.returns)))
            } else if let relationship = view.relationships.first(where: { $0.name == name }), let target = api.tables[relationship.target] {
                let joined: SQLSelect
                switch relationship.kind {
                case .object:
                    joined = try rows(target, shapes: [RowShape(output: Self.rootColumn, selections: field.subselections)],
                                      arguments: .oneRow, parent: (row, relationship), field: field, path: fieldPath).select
                case .array:
                    joined = try list(target, field: field, parent: (row, relationship), path: fieldPath)
                }
                pairs.append((field.responseKey, lateral(joined, joins: &joins)))
            } else if name.hasSuffix("_aggregate"),
                      let relationship = view.relationships.first(where: { $0.name + "_aggregate" == name && $0.kind == .array }),
                      let target = api.tables[relationship.target] {
                let joined = try aggregate(target, field: field, parent: (row, relationship), path: fieldPath)
                pairs.append((field.responseKey, lateral(joined, joins: &joins)))
            } else {
                throw planningError("field '\(name)' not found in type '\(view.name)'", at: field, path: fieldPath)
            }
        }
        return pairs
    }

    /// Joins a one-row subquery laterally and returns its JSON column.
    private func lateral(_ select: SQLSelect, joins: inout [SQLJoin]) -> SQLExpression {
        let alias = nextAlias("j")
        joins.append(SQLJoin(leftLateral: .subquery(select, as: alias)))
        return .column(table: alias, Self.rootColumn)
    }

    /// A list field: the JSON array of its rows, in order; `[]` when there are none.
    func list(_ view: TableView, field: SelectedField, parent: (alias: SQLIdentifier, relationship: RelationshipModel)?,
              path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLSelect {
        let query = try rows(view, shapes: [RowShape(output: Self.rootColumn, selections: field.subselections)],
                             arguments: RowArguments(selecting: field), parent: parent, field: field, path: path)
        let alias = nextAlias("r")
        return SQLSelect([.init(jsonArray(.column(table: alias, Self.rootColumn), orderBy: query.orderings(of: alias)), as: Self.rootColumn)],
                         from: .subquery(query.select, as: alias))
    }

    func jsonArray(_ element: SQLExpression, orderBy: [SQLOrdering], filter: SQLExpression? = nil) -> SQLExpression {
        .coalesce([.aggregate(SQLAggregate("json_agg", [element], orderBy: orderBy, filter: filter)), .builtin("json_build_array", [])])
    }

    func typeName(_ name: String) -> SQLExpression {
        SQLName(name).map(SQLExpression.name) ?? .null
    }

    /// `DISTINCT ON` columns. PostgreSQL requires them to lead the sort; without an `order_by`
    /// they become it, otherwise the client's `order_by` must start with them.
    private func distinctColumns(_ input: InputValue?, on view: TableView, as alias: SQLIdentifier, keys: inout [SQLOrdering],
                                 field: SelectedField?, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [SQLExpression] {
        guard let input else { return [] }
        let names: [String]
        switch variables.shape(input) {
        case .list(let items):
            names = items.compactMap { if case .enumValue(let name) = variables.shape($0) { name } else { nil } }
        case .enumValue(let name):
            names = [name]
        default:
            return []
        }
        let columns = names.map { SQLExpression.column(table: alias, view.sqlColumn($0)) }
        if keys.isEmpty {
            keys = columns.map { SQLOrdering($0) }
        } else if keys.count < columns.count || Set(keys.prefix(columns.count).map(\.expression)) != Set(columns) {
            throw planningError("\"distinct_on\" columns must match initial \"order_by\" columns", at: field, path: path)
        }
        return columns
    }

    /// The smallest of the client's `limit`, the permission's row limit and the project's
    /// `max_rows`. The last two bound the rows a response lists, never what aggregates see, so
    /// rows read only to be aggregated (`capped: false`) answer to the client's `limit` alone.
    /// A `limit` variable stays a parameter.
    private func rowLimit(_ view: TableView, _ arguments: RowArguments, capped: Bool,
                          path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLExpression? {
        if arguments.single { return .integer(1) }
        if let fixed = arguments.fixedLimit { return .integer(Int64(fixed)) }
        let cap = capped ? rowCap(view) : nil
        guard let input = arguments.limit else { return cap.map { .integer(Int64($0)) } }
        if let reference = variables.variableReference(input) {
            guard reference.state == .present else { return cap.map { .integer(Int64($0)) } }
            let requested = SQLExpression.cast(parameter(.variable(reference.name, json: false)), .bigint)
            guard let cap else { return requested }
            return .caseWhen([SQLWhen(.binary(requested, .less, .integer(Int64(cap))), then: requested)], else: .integer(Int64(cap)))
        }
        guard let requested = variables.integer(input) else { return cap.map { .integer(Int64($0)) } }
        guard requested >= 0 else { throw planningError("\"limit\" must not be negative", at: input, path: path) }
        return .cast(.value(.text(String(min(requested, cap ?? requested)))), .bigint)
    }

    /// The most rows a list of `view` may hold: the permission's row limit or `max_rows`.
    func rowCap(_ view: TableView) -> Int? {
        [view.select?.limit, api.limits.maxRows].compactMap { $0 }.min()
    }

    /// `offset`: a written one must not be negative (a variable's value is checked by PostgreSQL).
    private func offset(_ input: InputValue?, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLExpression? {
        guard let input else { return nil }
        if variables.variableReference(input) == nil, let requested = variables.integer(input), requested < 0 {
            throw planningError("\"offset\" must not be negative", at: input, path: path)
        }
        switch scalarOperand(input, json: false) {
        case .scalar(let value): return .cast(value, .bigint)
        default: return nil
        }
    }
}
