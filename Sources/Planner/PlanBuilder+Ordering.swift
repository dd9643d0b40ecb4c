import APISchema
import GraphQLLanguage
import SchemaModel
import SQL

/// A client's `order_by` as sort keys: columns, columns of object relationships (a correlated
/// subquery per key), and aggregates of array relationships.
extension PlanBuilder {
    func orderKeys(_ input: InputValue?, on view: TableView, as alias: SQLIdentifier,
                   path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [SQLOrdering] {
        guard let input else { return [] }
        switch variables.shape(input) {
        case .list(let items):
            var keys: [SQLOrdering] = []
            for item in items { keys += try orderObject(item, on: view, as: alias, path: path) }
            return keys
        case .object:
            return try orderObject(input, on: view, as: alias, path: path)
        default:
            return []
        }
    }

    private func orderObject(_ input: InputValue, on view: TableView, as alias: SQLIdentifier,
                             path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [SQLOrdering] {
        guard case .object(let members) = variables.shape(input) else { return [] }
        var keys: [SQLOrdering] = []
        for (key, value) in members {
            if let column = view.columns.first(where: { $0.name == key }) {
                if let direction = try direction(value, path: path) {
                    keys.append(direction(.column(table: alias, column.sqlIdentifier)))
                }
            } else if let field = view.computedFields.first(where: { $0.name == key }) {
                if let direction = try direction(value, path: path) {
                    keys.append(direction(computedValue(field, row: alias)))
                }
            } else if let relationship = view.relationships.first(where: { $0.name == key && $0.kind == .object }),
                      let target = api.tables[relationship.target] {
                let related = nextAlias("o")
                let conditions = [link(relationship, parent: alias, child: related)] + scope(target, as: related)
                for inner in try orderKeys(value, on: target, as: related, path: path) {
                    let lookup = SQLSelect([.init(inner.expression)], from: tableSource(target, as: related),
                                           where: .and(conditions), limit: .integer(1))
                    keys.append(SQLOrdering(.subquery(lookup), inner.direction, nulls: inner.nulls))
                }
            } else if key.hasSuffix("_aggregate"),
                      let relationship = view.relationships.first(where: { $0.name + "_aggregate" == key && $0.kind == .array }),
                      let target = api.tables[relationship.target] {
                keys += try aggregateOrder(value, relationship: relationship, target: target, parent: alias, path: path)
            } else {
                throw planningError("field '\(key)' not found in type '\(view.name)_order_by'", at: value, path: path)
            }
        }
        return keys
    }

    /// `{ count: desc }`, `{ max: { created_at: asc } }` over the related rows.
    private func aggregateOrder(_ input: InputValue, relationship: RelationshipModel, target: TableView, parent: SQLIdentifier,
                                path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [SQLOrdering] {
        guard case .object(let members) = variables.shape(input) else { return [] }
        var keys: [SQLOrdering] = []
        for (function, value) in members {
            var aggregates: [(SQLExpression, InputValue)] = []
            let related = nextAlias("o")
            if function == "count" {
                aggregates.append((.aggregate(SQLAggregate("count", [])), value))
            } else if case .object(let columns) = variables.shape(value) {
                for (column, direction) in columns {
                    aggregates.append((.aggregate(SQLAggregate(function, [.column(table: related, target.sqlColumn(column))])), direction))
                }
            }
            let conditions = [link(relationship, parent: parent, child: related)] + scope(target, as: related)
            for (aggregate, directionInput) in aggregates {
                guard let direction = try direction(directionInput, path: path) else { continue }
                let value = SQLSelect([.init(aggregate)], from: tableSource(target, as: related), where: .and(conditions))
                keys.append(direction(.subquery(value)))
            }
        }
        return keys
    }

    /// The `order_by` enum: `asc` (nulls last), `desc` (nulls first) and the explicit forms.
    private func direction(_ input: InputValue, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> ((SQLExpression) -> SQLOrdering)? {
        guard case .enumValue(let name) = variables.shape(input) else { return nil }
        switch name {
        case "asc": return { SQLOrdering($0, .ascending) }
        case "asc_nulls_first": return { SQLOrdering($0, .ascending, nulls: .first) }
        case "asc_nulls_last": return { SQLOrdering($0, .ascending, nulls: .last) }
        case "desc": return { SQLOrdering($0, .descending) }
        case "desc_nulls_first": return { SQLOrdering($0, .descending, nulls: .first) }
        case "desc_nulls_last": return { SQLOrdering($0, .descending, nulls: .last) }
        default: throw planningError("unexpected ordering '\(name)'", at: input, path: path)
        }
    }
}
