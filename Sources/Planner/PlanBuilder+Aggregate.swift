import APISchema
import GraphQLLanguage
import SchemaModel
import SQL

/// `<table>_aggregate { aggregate { count sum { … } … } nodes { … } }`: aggregates over the
/// selected rows, computed in the same query that lists them as nodes.
extension PlanBuilder {
    func aggregate(_ view: TableView, field: SelectedField, parent: (alias: SQLIdentifier, relationship: RelationshipModel)?,
                   path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLSelect {
        let parts = fields(field.subselections)
        var shapes: [RowShape] = []
        var aggregated: [String] = []
        for part in parts {
            switch part.name {
            case "nodes":
                shapes.append(RowShape(output: SQLIdentifier("__n\(shapes.count)"), selections: part.subselections))
            case "aggregate":
                for function in fields(part.subselections) {
                    if function.name == "count" {
                        aggregated += countColumns(function)
                    } else {
                        aggregated += fields(function.subselections).map(\.name).filter { $0 != "__typename" }
                    }
                }
            default:
                break
            }
        }
        var seen: Set<String> = []
        aggregated = aggregated.filter { seen.insert($0).inserted }

        // Aggregates see every row the client's arguments select; `nodes` lists at most the
        // row cap, so beside aggregates it takes the rows numbered up to the cap.
        let aggregates = parts.contains { $0.name == "aggregate" }
        let nodesCap = aggregates && !shapes.isEmpty ? rowCap(view) : nil
        let query = try rows(view, shapes: shapes, arguments: RowArguments(selecting: field), parent: parent,
                             aggregatedColumns: aggregated, capped: !aggregates, numbered: nodesCap != nil, field: field, path: path)
        let rowsAlias = nextAlias("r")
        let nodesFilter = nodesCap.map { SQLExpression.binary(.column(table: rowsAlias, Self.rowNumberColumn), .lessOrEqual, .integer(Int64($0))) }
        var pairs: [(String, SQLExpression)] = []
        var nodes = 0
        for part in parts {
            let partPath = path + [.field(part.responseKey)]
            switch part.name {
            case "__typename":
                pairs.append((part.responseKey, typeName("\(view.name)_aggregate")))
            case "nodes":
                let column = SQLExpression.column(table: rowsAlias, SQLIdentifier("__n\(nodes)"))
                nodes += 1
                pairs.append((part.responseKey, jsonArray(column, orderBy: query.orderings(of: rowsAlias), filter: nodesFilter)))
            case "aggregate":
                let values = try aggregateFields(view, part, rows: rowsAlias, path: partPath)
                pairs.append((part.responseKey, try aggregateObject(values, at: part, path: partPath)))
            default:
                throw planningError("field '\(part.name)' not found in type '\(view.name)_aggregate'", at: part, path: partPath)
            }
        }
        return SQLSelect([.init(try aggregateObject(pairs, at: field, path: path), as: Self.rootColumn)],
                         from: .subquery(query.select, as: rowsAlias))
    }

    /// `count`, `sum { … }`, `avg { … }`, …
    private func aggregateFields(_ view: TableView, _ field: SelectedField, rows: SQLIdentifier,
                                 path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [(String, SQLExpression)] {
        var pairs: [(String, SQLExpression)] = []
        for function in fields(field.subselections) {
            let functionPath = path + [.field(function.responseKey)]
            switch function.name {
            case "__typename":
                pairs.append((function.responseKey, typeName("\(view.name)_aggregate_fields")))
            case "count":
                pairs.append((function.responseKey, count(function, of: view, rows: rows)))
            case "sum", "avg", "max", "min", "stddev", "variance":
                var values: [(String, SQLExpression)] = []
                for column in fields(function.subselections) {
                    if column.name == "__typename" {
                        values.append((column.responseKey, typeName("\(view.name)_\(function.name)_fields")))
                        continue
                    }
                    guard let model = view.columns.first(where: { $0.name == column.name }) else {
                        throw planningError("field '\(column.name)' not found in type '\(view.name)_\(function.name)_fields'",
                                            at: column, path: functionPath + [.field(column.responseKey)])
                    }
                    let value = SQLExpression.aggregate(SQLAggregate(function.name, [.column(table: rows, model.sqlIdentifier)]))
                    values.append((column.responseKey, aggregateOutput(value, function: function.name, type: model.type)))
                }
                pairs.append((function.responseKey, try aggregateObject(values, at: function, path: functionPath)))
            default:
                throw planningError("field '\(function.name)' not found in type '\(view.name)_aggregate_fields'", at: function, path: functionPath)
            }
        }
        return pairs
    }

    /// `count(columns:, distinct:)`: rows, rows where the columns are all non-null, or distinct
    /// combinations of them.
    private func count(_ field: SelectedField, of view: TableView, rows: SQLIdentifier) -> SQLExpression {
        let columns = countColumns(field).map { SQLExpression.column(table: rows, view.sqlColumn($0)) }
        let distinct = field.argument("distinct").flatMap(variables.boolean) ?? false
        switch columns.count {
        case 0:
            return .aggregate(SQLAggregate("count", []))
        case 1:
            return .aggregate(SQLAggregate("count", columns, distinct: distinct))
        default:
            return .aggregate(SQLAggregate("count", [.row(columns)], distinct: distinct, filter: .and(columns.map { .isNotNull($0) })))
        }
    }

    private func countColumns(_ field: SelectedField) -> [String] {
        guard let input = field.argument("columns") else { return [] }
        switch variables.shape(input) {
        case .list(let items):
            return items.compactMap { if case .enumValue(let name) = variables.shape($0) { name } else { nil } }
        case .enumValue(let name):
            return [name]
        default:
            return []
        }
    }

    /// Sums, minima and maxima keep the column's type (a sum of integers as `bigint`, so large
    /// totals are strings); averages and spreads are floats.
    private func aggregateOutput(_ value: SQLExpression, function: String, type: ColumnType) -> SQLExpression {
        switch function {
        case "avg", "stddev", "variance":
            return .cast(value, .doublePrecision)
        case "sum" where type.category == .integer:
            return ColumnCodec.output(value, type: ColumnType("bigint")!)
        default:
            return ColumnCodec.output(value, type: type)
        }
    }

    /// Aggregates cannot move into a subquery, so their objects stay within one
    /// `json_build_object` (50 keys).
    private func aggregateObject(_ pairs: [(String, SQLExpression)], at field: SelectedField,
                                 path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLExpression {
        guard pairs.count <= 50 else {
            throw planningError("An aggregate selection may ask for at most 50 fields at one level", at: field, path: path)
        }
        return try jsonObject(pairs, at: field, path: path)
    }
}
