import Yams

/// Row filters and preset values, checked against the table they apply to.
extension YAMLReader {
    /// `{ _and: […], _or: […], _not: {…}, column: { _op: value }, relationship: {…} }`.
    mutating func filter(_ node: Node, on table: TableModel, tables: [String: TableModel], context: String) -> RowFilter {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "{}" { return .always }
        var parts: [RowFilter] = []
        for (name, key, value) in entries(node, context: context) {
            switch name {
            case "_and", "_or":
                let items = items(value).map { filter($0, on: table, tables: tables, context: context) }
                parts.append(name == "_and" ? .and(items) : .or(items))
            case "_not":
                parts.append(.not(filter(value, on: table, tables: tables, context: context)))
            default:
                if let column = table.column(named: name) {
                    parts.append(.column(name, comparisons(value, column: column, context: context)))
                } else if let relationship = table.relationship(named: name) {
                    guard let target = tables[relationship.target] else { continue }
                    parts.append(.relationship(name, filter(value, on: target, tables: tables, context: context)))
                } else {
                    let candidates = table.columns.map(\.name) + table.relationships.map(\.name) + ["_and", "_or", "_not"]
                    fail(key, "\(context) names '\(name)', which is neither a column nor a relationship of '\(table.name)'"
                        + NameSuggestion.hint(for: name, among: candidates))
                }
            }
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    mutating func comparisons(_ node: Node, column: ColumnModel, context: String) -> [Comparison] {
        let available = ComparisonOperator.available(for: column.type)
        return entries(node, context: "the condition on '\(column.name)'").compactMap { name, key, value in
            guard let op = ComparisonOperator(rawValue: name), available.contains(op) else {
                fail(key, "'\(name)' is not an operator for column '\(column.name)' (\(column.type))"
                    + NameSuggestion.hint(for: name, among: available.map(\.rawValue))
                    + "; expected one of: \(available.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            guard let operand = filterValue(value) else { return nil }
            switch (op, operand) {
            case (.isNull, .boolean), (.isNull, .session):
                break
            case (.isNull, _):
                fail(value, "_is_null takes true or false")
                return nil
            case (.in, .list), (.nin, .list), (.in, .session), (.nin, .session):
                break
            case (.in, _), (.nin, _):
                fail(value, "\(name) takes a list of values, e.g. [a, b]")
                return nil
            case (_, .list) where column.type.category != .jsonb:
                fail(value, "\(name) takes one value, not a list")
                return nil
            default:
                break
            }
            return Comparison(op: op, value: operand)
        }
    }

    /// A literal or `$session.…` value.
    mutating func filterValue(_ node: Node) -> FilterValue? {
        switch node {
        case .sequence(let sequence):
            let items = sequence.map { filterValue($0) }
            return items.contains { $0 == nil } ? nil : .list(items.compactMap { $0 })
        case .mapping:
            fail(node, "expected a value here (a string, number, true/false, null or $session.…), not a mapping")
            return nil
        case .scalar(let scalar):
            guard let text = string(node) else { return nil }
            if scalar.style != .plain { return .string(text) }
            if text.hasPrefix("$session") {
                guard let session = SessionValue(written: text) else {
                    fail(node, "unknown session value '\(text)'; expected $session.tenant_id, $session.user_id, $session.role or $session.claims.<name>")
                    return nil
                }
                return .session(session)
            }
            switch text {
            case "null", "~", "": return .null
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: return Double(text) != nil && text.first != "." ? .number(text) : .string(text)
            }
        case .alias:
            fail(node, "YAML aliases are not supported here")
            return nil
        }
    }
}
