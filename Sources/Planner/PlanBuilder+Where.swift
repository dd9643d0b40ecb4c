import APISchema
import GraphQLLanguage
import SchemaModel
import SQL

/// A client's `where: <table>_bool_exp` as a condition.
extension PlanBuilder {
    func whereCondition(_ input: InputValue, on view: TableView, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> Condition {
        switch variables.layout(input) {
        case .absent, .null:
            return .always
        case .object(let members):
            var terms: [Condition] = []
            for (key, value) in members {
                switch key {
                case "_and":
                    terms.append(.and(try conditions(value, on: view, path: path)))
                case "_or":
                    let alternatives = try conditions(value, on: view, path: path)
                    // A null `_or` adds no condition; an empty list matches no row.
                    if case .null = variables.layout(value) { continue }
                    terms.append(.or(alternatives))
                case "_not":
                    if case .null = variables.layout(value) { continue }
                    terms.append(.not(try whereCondition(value, on: view, path: path)))
                default:
                    if let column = view.columns.first(where: { $0.name == key }) {
                        terms.append(try comparisons(value, column: column, path: path))
                    } else if let field = view.computedFields.first(where: { $0.name == key }) {
                        // Compared as a column of its type; the value is the function's for the row.
                        let column = ColumnModel(name: field.name, type: field.returns, isNullable: true, description: nil, position: field.position)
                        terms.append(Self.computed(try comparisons(value, column: column, path: path), field))
                    } else if let relationship = view.relationships.first(where: { $0.name == key }),
                              let target = api.tables[relationship.target] {
                        if case .null = variables.layout(value) { continue }
                        terms.append(.relationship(relationship, try whereCondition(value, on: target, path: path)))
                    } else {
                        throw planningError("field '\(key)' not found in type '\(view.name)_bool_exp'", at: value, path: path)
                    }
                }
            }
            return .and(terms)
        default:
            throw planningError("expected an object of type '\(view.name)_bool_exp'", at: input, path: path)
        }
    }

    /// `condition`'s comparisons on the stand-in column of `field`, as comparisons of the field.
    static func computed(_ condition: Condition, _ field: ComputedFieldModel) -> Condition {
        switch condition {
        case .and(let terms): .and(terms.map { computed($0, field) })
        case .compare(_, let op, let operand): .computed(field, op, operand)
        default: condition
        }
    }

    /// A list of boolean expressions (or one, which input coercion treats as a list of one).
    private func conditions(_ input: InputValue, on view: TableView, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [Condition] {
        switch variables.layout(input) {
        case .absent, .null: return []
        case .list(let items):
            var result: [Condition] = []
            for item in items { result.append(try whereCondition(item, on: view, path: path)) }
            return result
        default: return [try whereCondition(input, on: view, path: path)]
        }
    }

    /// `{ _eq: …, _in: […], … }` on one column: every comparison must hold.
    private func comparisons(_ input: InputValue, column: ColumnModel, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> Condition {
        guard case .object(let members) = variables.layout(input) else { return .always }
        let json = ColumnCodec.bindsAsJSON(column.type)
        var terms: [Condition] = []
        for (key, value) in members {
            guard let op = ComparisonOperator(rawValue: key) else {
                throw planningError("operator '\(key)' is not defined for column '\(column.name)'", at: value, path: path)
            }
            // An operator given an absent variable is not there at all.
            if let reference = variables.variableReference(value), reference.state == .absent { continue }
            switch op {
            case .isNull:
                guard let flag = variables.boolean(value) else { continue }
                terms.append(.compare(column, op, .flag(flag)))
            case .in, .nin:
                terms.append(.compare(column, op, listOperand(value, json: json).map(Condition.Operand.list) ?? .null))
            case .hasKey:
                terms.append(.compare(column, op, boundOperand(value, json: false)))
            default:
                terms.append(.compare(column, op, boundOperand(value, json: json)))
            }
        }
        return .and(terms)
    }

    /// One value: a variable becomes a parameter, anything else a constant bind.
    func scalarOperand(_ input: InputValue, json: Bool) -> Condition.Operand {
        if let reference = variables.variableReference(input) {
            return reference.state == .present ? .scalar(parameter(.variable(reference.name, json: json))) : .null
        }
        guard let text = variables.constantText(input, json: json) else { return .null }
        return .scalar(.value(.text(text)))
    }

    /// A list of values as one `text[]` bind, whatever its length: a list variable or a list
    /// inside one is a parameter, a written list of constants one value. Only a written list
    /// holding variables (`[$a, $b]`) is an array of binds. Nil when the list is null.
    func listOperand(_ input: InputValue, json: Bool) -> SQLExpression? {
        if let reference = variables.variableReference(input) {
            return reference.state == .present ? parameter(.variableList(reference.name, json: json)) : nil
        }
        if case .json(let content, let member) = input {
            variables.markLaidOut(member.variable)
            return content == .null ? nil : parameter(.variableMemberList(member, json: json))
        }
        switch variables.layout(input) {
        case .absent, .null:
            return nil
        case .list(let items):
            var constants: [String] = []
            for item in items {
                guard case .literal(let value) = item, !Self.isVariable(value),
                      let text = variables.constantText(item, json: json) else { break }
                constants.append(text)
            }
            if constants.count == items.count { return .value(.textArray(constants)) }
            return .array(items.map { item -> SQLExpression in
                if case .scalar(let value) = scalarOperand(item, json: json) { return value }
                return .null
            })
        default:
            guard case .scalar(let value) = scalarOperand(input, json: json) else { return nil }
            return .array([value])
        }
    }

    private static func isVariable(_ value: Value) -> Bool {
        if case .variable = value.kind { true } else { false }
    }
}
