import APISchema
import SchemaModel
import SQL

/// A boolean condition on a table's rows, from a permission's row filter or a client's `where`,
/// with its values already turned into binds. One compiler turns both into SQL.
indirect enum Condition: Sendable {
    case and([Condition])
    case or([Condition])
    case not(Condition)
    case compare(ColumnModel, ComparisonOperator, Operand)
    /// A computed field's value for the row, compared as a column of its type would be.
    case computed(ComputedFieldModel, ComparisonOperator, Operand)
    /// Through a relationship: the related row (object) or some related row (array) matches.
    case relationship(RelationshipModel, Condition)

    static let always = Condition.and([])

    /// The right-hand side of a comparison, not yet cast to the column's type.
    enum Operand: Sendable {
        case null
        /// One value (text, or JSON text for `jsonb`).
        case scalar(SQLExpression)
        /// A `text[]` of values, for `_in`/`_nin`.
        case list(SQLExpression)
        /// `_is_null`'s answer, folded into the plan.
        case flag(Bool)
    }
}

extension PlanBuilder {
    /// The SQL of a condition on the rows of `view` named `alias`.
    func compile(_ condition: Condition, on view: TableView, as alias: SQLIdentifier) -> SQLExpression {
        switch condition {
        case .and(let terms):
            return .and(terms.map { compile($0, on: view, as: alias) })
        case .or(let terms):
            return .or(terms.map { compile($0, on: view, as: alias) })
        case .not(let inner):
            return .not(compile(inner, on: view, as: alias))
        case .compare(let column, let op, let operand):
            return comparison(.column(table: alias, column.sqlIdentifier), column.type, op, operand)
        case .computed(let field, let op, let operand):
            return comparison(computedValue(field, row: alias), field.returns, op, operand)
        case .relationship(let relationship, let inner):
            guard let target = api.tables[relationship.target] else { return .boolean(false) }
            let related = nextAlias("r")
            var terms = [link(relationship, parent: alias, child: related)]
            terms += scope(target, as: related)
            terms.append(compile(inner, on: target, as: related))
            return .exists(SQLSelect([.init(.integer(1))], from: tableSource(target, as: related), where: .and(terms)))
        }
    }

    func comparison(_ column: SQLExpression, _ type: ColumnType, _ op: ComparisonOperator, _ operand: Condition.Operand) -> SQLExpression {
        let sqlType = ColumnCodec.sqlType(type)
        func cast(_ value: SQLExpression) -> SQLExpression { ColumnCodec.input(value, type) }
        switch (op, operand) {
        case (.isNull, .flag(let isNull)):
            return isNull ? .isNull(column) : .isNotNull(column)
        case (.isNull, _), (_, .flag):
            return .boolean(true)
        case (.eq, .null):
            return .isNull(column)
        case (.neq, .null):
            return .isNotNull(column)
        case (.in, .list(let values)):
            return .quantified(column, .equal, .any, .cast(values, sqlType.array))
        case (.nin, .list(let values)):
            return .not(.quantified(column, .equal, .any, .cast(values, sqlType.array)))
        case (.in, _), (.nin, _):
            // A null list: no value is in it, and whether one is not is unknown (SQL's answer).
            return .null
        case (_, .list(let values)):
            return .quantified(column, binaryOperator(op), .any, .cast(values, sqlType.array))
        case (.hasKey, .scalar(let value)):
            return .binary(column, .hasKey, .cast(value, .text))
        case (.matches, .scalar(let value)):
            return .binary(column, .textSearchMatch, .builtin("websearch_to_tsquery", [.cast(value, .text)]))
        case (.like, .scalar(let value)), (.nlike, .scalar(let value)), (.ilike, .scalar(let value)),
             (.nilike, .scalar(let value)), (.regex, .scalar(let value)), (.iregex, .scalar(let value)):
            return .binary(column, binaryOperator(op), .cast(value, .text))
        case (_, .scalar(let value)):
            return .binary(column, binaryOperator(op), cast(value))
        case (_, .null):
            return .binary(column, binaryOperator(op), cast(.null))
        }
    }

    func binaryOperator(_ op: ComparisonOperator) -> SQLOperator {
        switch op {
        case .eq, .in, .isNull: .equal
        case .neq, .nin: .notEqual
        case .gt: .greater
        case .gte: .greaterOrEqual
        case .lt: .less
        case .lte: .lessOrEqual
        case .like: .like
        case .nlike: .notLike
        case .ilike: .ilike
        case .nilike: .notIlike
        case .regex: .matches
        case .iregex: .matchesInsensitive
        case .contains: .contains
        case .hasKey: .hasKey
        case .matches: .textSearchMatch
        case .containedIn: .containedBy
        }
    }

    /// `child.target = parent.source` for each column pair of the relationship.
    func link(_ relationship: RelationshipModel, parent: SQLIdentifier, child: SQLIdentifier) -> SQLExpression {
        .and(relationship.sqlColumnMapping.map { pair in
            .binary(.column(table: child, SQLIdentifier(pair.target)), .equal, .column(table: parent, SQLIdentifier(pair.source)))
        })
    }

    /// What every read of `view` is held to: the session's tenant (bound, so a connection with a
    /// stale tenant setting finds nothing) and the role's row filter.
    func scope(_ view: TableView, as alias: SQLIdentifier) -> [SQLExpression] {
        var terms: [SQLExpression] = []
        if let tenantColumn = view.table.tenantColumn, let column = view.table.column(named: tenantColumn) {
            terms.append(.binary(.column(table: alias, column.sqlIdentifier), .equal,
                                 ColumnCodec.input(parameter(.session(.tenantID)), column.type)))
        }
        if let filter = view.select?.filter {
            let condition = permissionCondition(filter, on: view)
            if case .and(let terms) = condition, terms.isEmpty {} else {
                terms.append(compile(condition, on: view, as: alias))
            }
        }
        return terms
    }

    /// A permission's row filter as a condition, its session values as parameters.
    func permissionCondition(_ filter: RowFilter, on view: TableView) -> Condition {
        switch filter {
        case .and(let terms): return .and(terms.map { permissionCondition($0, on: view) })
        case .or(let terms): return .or(terms.map { permissionCondition($0, on: view) })
        case .not(let inner): return .not(permissionCondition(inner, on: view))
        case .column(let name, let comparisons):
            guard let column = view.table.column(named: name) else { return .and([]) }
            return .and(comparisons.map { .compare(column, $0.op, operand($0.value, op: $0.op)) })
        case .relationship(let name, let inner):
            guard let relationship = view.table.relationship(named: name), let target = api.tables[relationship.target] else {
                return .or([])
            }
            return .relationship(relationship, permissionCondition(inner, on: target))
        }
    }

    func operand(_ value: FilterValue, op: ComparisonOperator) -> Condition.Operand {
        switch value {
        case .boolean(let flag) where op == .isNull: return .flag(flag)
        case .null: return .null
        case .list(let items): return .list(.array(items.map(filterScalar)))
        default: return .scalar(filterScalar(value))
        }
    }

    func filterScalar(_ value: FilterValue) -> SQLExpression {
        switch value {
        case .string(let text): .value(.text(text))
        case .number(let text): .value(.text(text))
        case .boolean(let flag): .value(.text(flag ? "true" : "false"))
        case .null: .null
        case .session(let session): parameter(.session(session))
        case .list(let items): .array(items.map(filterScalar))
        }
    }
}

extension TableView {
    var tableName: SQLQualifiedName {
        SQLQualifiedName(schema: SQLIdentifier(table.schema), SQLIdentifier(table.table))
    }

    /// The PostgreSQL column the API calls `name`: every statement names columns this way, also
    /// in its subqueries; API names appear only as JSON keys.
    func sqlColumn(_ name: String) -> SQLIdentifier {
        SQLIdentifier(table.sqlName(ofColumn: name))
    }
}

extension ColumnModel {
    var sqlIdentifier: SQLIdentifier { SQLIdentifier(sqlName) }
}
