/// Replacing a statement's numbered parameters with other expressions: how a live query's plan
/// becomes the body of a statement that runs it once per subscriber, each `$n` read from the
/// subscriber's row instead. Values the planner bound itself (`.value`) stay binds.
extension SQLSelect {
    public func mappingParameters(_ transform: (Int) -> SQLExpression) -> SQLSelect {
        var copy = self
        copy.distinctOn = distinctOn.map { $0.mappingParameters(transform) }
        copy.outputs = outputs.map { SQLSelect.Output($0.expression.mappingParameters(transform), as: $0.alias) }
        copy.from = from?.mappingParameters(transform)
        copy.joins = joins.map { SQLJoin(leftLateral: $0.source.mappingParameters(transform), on: $0.condition.mappingParameters(transform)) }
        copy.filter = filter?.mappingParameters(transform)
        copy.groupBy = groupBy.map { $0.mappingParameters(transform) }
        copy.orderBy = orderBy.map { $0.mappingParameters(transform) }
        copy.limit = limit?.mappingParameters(transform)
        copy.offset = offset?.mappingParameters(transform)
        return copy
    }
}

extension SQLSource {
    func mappingParameters(_ transform: (Int) -> SQLExpression) -> SQLSource {
        switch self {
        case .table: self
        case .subquery(let select, let alias): .subquery(select.mappingParameters(transform), as: alias)
        case .unionAll(let selects, let alias): .unionAll(selects.map { $0.mappingParameters(transform) }, as: alias)
        case .function(let function, let alias): .function(function.mappingParameters(transform), as: alias)
        case .numberedRows(let function, let alias, let columns, let ordinality):
            .numberedRows(function.mappingParameters(transform), as: alias, columns: columns, ordinality: ordinality)
        }
    }
}

extension SQLOrdering {
    func mappingParameters(_ transform: (Int) -> SQLExpression) -> SQLOrdering {
        SQLOrdering(expression.mappingParameters(transform), direction, nulls: nulls)
    }
}

extension SQLExpression {
    public func mappingParameters(_ transform: (Int) -> SQLExpression) -> SQLExpression {
        func map(_ expression: SQLExpression) -> SQLExpression { expression.mappingParameters(transform) }
        switch self {
        case .bind(.parameter(let index)):
            return transform(index)
        case .column, .bind(.value), .boolean, .null, .integer, .name, .star, .defaultValue:
            return self
        case .function(let name, let arguments):
            return .function(name, arguments.map(map))
        case .aggregate(var aggregate):
            aggregate.arguments = aggregate.arguments.map(map)
            aggregate.orderBy = aggregate.orderBy.map { $0.mappingParameters(transform) }
            aggregate.filter = aggregate.filter.map(map)
            return .aggregate(aggregate)
        case .cast(let inner, let type):
            return .cast(map(inner), type)
        case .binary(let left, let op, let right):
            return .binary(map(left), op, map(right))
        case .quantified(let left, let op, let quantifier, let right):
            return .quantified(map(left), op, quantifier, map(right))
        case .and(let terms):
            return .and(terms.map(map))
        case .or(let terms):
            return .or(terms.map(map))
        case .not(let inner):
            return .not(map(inner))
        case .isNull(let inner):
            return .isNull(map(inner))
        case .isNotNull(let inner):
            return .isNotNull(map(inner))
        case .subquery(let select):
            return .subquery(select.mappingParameters(transform))
        case .exists(let select):
            return .exists(select.mappingParameters(transform))
        case .array(let items):
            return .array(items.map(map))
        case .row(let items):
            return .row(items.map(map))
        case .caseWhen(let arms, let otherwise):
            return .caseWhen(arms.map { SQLWhen(map($0.condition), then: map($0.result)) }, else: otherwise.map(map))
        case .coalesce(let items):
            return .coalesce(items.map(map))
        case .namedArgument(let name, let value):
            return .namedArgument(name, value.mappingParameters(transform))
        case .rowNumber(let partitionBy, let orderBy):
            return .rowNumber(partitionBy: partitionBy.map { $0.mappingParameters(transform) }, orderBy: orderBy.map { $0.mappingParameters(transform) })
        }
    }
}
