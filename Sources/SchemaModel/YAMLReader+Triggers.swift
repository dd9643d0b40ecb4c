import Foundation
import Yams

/// `triggers:` of a table file: per trigger, the events it takes and its resolver, checked against
/// every table (relationship paths, target tables and their columns).
extension YAMLReader {
    static let resolverKinds = ["notification", "history", "sql", "webhook"]

    mutating func triggers(_ node: Node, table: TableModel, tables: [String: TableModel]) -> [EventTrigger] {
        entries(node, context: "triggers").compactMap { name, key, value in
            guard isGraphQLName(name, at: key, what: "a trigger's name") else { return nil }
            return trigger(name, at: key, value, table: table, tables: tables)
        }
    }

    private mutating func trigger(_ name: String, at key: Node, _ node: Node, table: TableModel, tables: [String: TableModel]) -> EventTrigger? {
        let context = "trigger '\(name)'"
        let fields = mapping(node, keys: ["operations", "columns", "where"] + Self.resolverKinds, context: context)
        var operations = Set(ChangeOperation.allCases)
        if let written = fields["operations"] { operations = events(written) }
        guard !operations.isEmpty else {
            fail(fields["operations"] ?? key, "\(context) takes no operation; write 'operations: [insert, update, delete]' or some of them")
            return nil
        }
        let missing = ChangeOperation.allCases.filter { operations.contains($0) && !table.events.contains($0) }
        if !missing.isEmpty {
            fail(fields["operations"] ?? key, "\(context) takes \(missing.map(\.rawValue).joined(separator: ", ")) events of '\(table.name)', "
                + "which its file does not capture; add them to 'events:' (or write 'events: true')")
        }
        var columns: [String] = []
        if let node = fields["columns"] {
            for (column, item) in names(node, context: "columns of \(context)") where table.column(named: column) == nil {
                fail(item, "\(context) names unknown column '\(column)' of '\(table.name)'" + NameSuggestion.hint(for: column, among: table.columns.map(\.name)))
            }
            columns = names(node, context: "columns of \(context)").map(\.name)
        }
        let condition = fields["where"].map { triggerCondition($0, table: table, tables: tables, context: "the 'where' of \(context)") }
        let kinds = Self.resolverKinds.filter { fields[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first, let resolverNode = fields[kind] else {
            fail(key, "\(context) needs exactly one resolver: \(Self.resolverKinds.joined(separator: ", "))"
                + (kinds.isEmpty ? "" : "; it has \(kinds.joined(separator: " and "))"))
            return nil
        }
        let resolver: Resolver?
        switch kind {
        case "notification": resolver = notification(resolverNode, table: table, tables: tables, context: context).map(Resolver.notification)
        case "history": resolver = history(resolverNode, table: table, tables: tables, context: context).map(Resolver.history)
        case "webhook": resolver = webhook(resolverNode, context: context).map(Resolver.webhook)
        default: resolver = sqlFunction(resolverNode, context: context).map(Resolver.sql)
        }
        guard let resolver else { return nil }
        return EventTrigger(name: name, table: table.name, operations: operations, columns: columns, condition: condition,
                            resolver: resolver, position: position(of: key))
    }

    /// `events.triggers` of strata.yaml: triggers on named domain events, each with a `sql` or
    /// `webhook` resolver (a domain event has no row for the others to read).
    mutating func domainTriggers(_ node: Node) -> [EventTrigger] {
        entries(node, context: "events.triggers").compactMap { name, key, value in
            guard isGraphQLName(name, at: key, what: "a trigger's name") else { return nil }
            let context = "trigger '\(name)'"
            let fields = mapping(value, keys: ["event", "sql", "webhook"], context: context)
            guard let eventNode = fields["event"], let type = string(eventNode) else {
                fail(key, "\(context) needs 'event:', the type of domain event it takes (money.hold.expired)")
                return nil
            }
            guard isDomainEventType(type) else {
                fail(eventNode, "'\(type)' is not a domain event type: lowercase words joined by dots, as strata.emit takes (money.hold.expired)")
                return nil
            }
            let resolver: Resolver?
            switch (fields["sql"], fields["webhook"]) {
            case (let sql?, nil): resolver = sqlFunction(sql, context: context).map(Resolver.sql)
            case (nil, let hook?): resolver = webhook(hook, context: context).map(Resolver.webhook)
            default:
                fail(key, "\(context) needs exactly one resolver: sql or webhook")
                resolver = nil
            }
            guard let resolver else { return nil }
            return EventTrigger(name: name, table: type, operations: [], columns: [], condition: nil, resolver: resolver,
                                position: position(of: key), isDomainEvent: true)
        }
    }

    /// `events.channels` of strata.yaml: per domain event type, the roles that may follow it on
    /// event channels (`change_events`) — its whole payload, in their own tenant.
    mutating func domainChannels(_ node: Node) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (type, key, value) in entries(node, context: "events.channels") {
            guard isDomainEventType(type) else {
                fail(key, "'\(type)' is not a domain event type: lowercase words joined by dots, as strata.emit takes (money.hold.expired)")
                continue
            }
            result[type] = names(value, context: "the roles following \(type)").map(\.name)
        }
        return result
    }

    func isDomainEventType(_ type: String) -> Bool {
        let words = type.split(separator: ".", omittingEmptySubsequences: false)
        return words.count >= 2 && words.allSatisfy { word in
            word.first.map { ("a"..."z").contains($0) } == true && word.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        }
    }

    /// `{ new: {filter}, old: {filter}, _and: […], _or: […], _not: {…} }`.
    private mutating func triggerCondition(_ node: Node, table: TableModel, tables: [String: TableModel], context: String) -> TriggerCondition {
        var parts: [TriggerCondition] = []
        for (name, key, value) in entries(node, context: context) {
            switch name {
            case "_and", "_or":
                let items = items(value).map { triggerCondition($0, table: table, tables: tables, context: context) }
                parts.append(name == "_and" ? .and(items) : .or(items))
            case "_not":
                parts.append(.not(triggerCondition(value, table: table, tables: tables, context: context)))
            case "new", "old":
                let filter = filter(value, on: table, tables: tables, context: context)
                if filter.usesSession {
                    fail(value, "\(context) compares with a $session value, but a trigger runs after the request; compare 'old' with 'new' values or constants")
                }
                parts.append(.row(RowImage(rawValue: name)!, filter))  // this case matched "new" or "old"
            default:
                fail(key, "\(context) starts with '\(name)'; write 'new:' or 'old:' (the row after or before the change), or _and, _or, _not"
                    + NameSuggestion.hint(for: name, among: ["new", "old", "_and", "_or", "_not"]))
            }
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private mutating func notification(_ node: Node, table: TableModel, tables: [String: TableModel], context: String) -> NotificationResolver? {
        let fields = mapping(node, keys: ["table", "recipient", "recipients", "kind", "payload"], context: "the notification of \(context)")
        let targetName = fields["table"].flatMap { string($0) } ?? "notifications"
        guard let target = targetTable(targetName, at: fields["table"] ?? node, tables: tables, context: context,
                                       needs: NotificationTable.columns, of: "notifications") else { return nil }
        var recipients: [RowPath] = []
        if let one = fields["recipient"] { recipients += [rowPath(one, table: table, tables: tables, arrays: true)].compactMap { $0 } }
        if let many = fields["recipients"] { recipients += items(many).compactMap { rowPath($0, table: table, tables: tables, arrays: true) } }
        if fields["recipient"] == nil && fields["recipients"] == nil {
            fail(node, "the notification of \(context) needs 'recipient:', a path to the user's id such as new.assignee_id")
        }
        let payload = fields["payload"].map { payloadTemplate($0, table: table, tables: tables) } ?? .object([])
        guard let kindNode = fields["kind"], let kind = string(kindNode), !kind.isEmpty else {
            fail(node, "the notification of \(context) needs 'kind:', a name clients can tell notifications apart by")
            return nil
        }
        return NotificationResolver(table: target.name, recipients: recipients, kind: kind, payload: payload)
    }

    private mutating func history(_ node: Node, table: TableModel, tables: [String: TableModel], context: String) -> HistoryResolver? {
        var fields: [String: Node] = [:]
        if case .scalar(let scalar) = node, ["", "{}", "true"].contains(scalar.string) {} else {
            fields = mapping(node, keys: ["table", "changes"], context: "the history of \(context)")
        }
        let targetName = fields["table"].flatMap { string($0) } ?? "entity_history"
        if targetName == table.name {
            fail(fields["table"] ?? node, "\(context) would write the history of '\(table.name)' into '\(table.name)' itself, each row another change")
            return nil
        }
        guard let target = targetTable(targetName, at: fields["table"] ?? node, tables: tables, context: context,
                                       needs: HistoryTable.columns, of: "history") else { return nil }
        var changedOnly = false
        if let changes = fields["changes"], let written = string(changes) {
            switch written {
            case "all": changedOnly = false
            case "changed": changedOnly = true
            default: fail(changes, "'changes' is 'all' (the whole row before and after) or 'changed' (only the columns that changed), not '\(written)'")
            }
        }
        return HistoryResolver(table: target.name, changedColumnsOnly: changedOnly)
    }

    mutating func sqlFunction(_ node: Node, context: String) -> SQLFunctionResolver? {
        let fields = mapping(node, keys: ["function"], context: "the sql resolver of \(context)")
        guard let functionNode = fields["function"], let written = string(functionNode) else {
            fail(node, "the sql resolver of \(context) needs 'function:', a SQL function taking the event as jsonb (e.g. public.on_task_done)")
            return nil
        }
        let parts = written.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), parts.allSatisfy(TableFile.isSQLName) else {
            fail(functionNode, "'\(written)' is not a function name; write 'function' or 'schema.function'")
            return nil
        }
        // `split` always returns at least one part.
        return SQLFunctionResolver(schema: parts.count == 2 ? parts[0] : "public", function: parts.last!)
    }

    mutating func webhook(_ node: Node, context: String) -> WebhookResolver? {
        let fields = mapping(node, keys: ["url", "secret", "timeout_ms", "max_attempts", "initial_delay_ms", "max_delay_ms"],
                             context: "the webhook of \(context)")
        guard let urlNode = fields["url"], let url = string(urlNode) else {
            fail(node, "the webhook of \(context) needs 'url:', the http:// or https:// address events are posted to")
            return nil
        }
        let scheme = url.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() }
        guard scheme == "http" || scheme == "https", url.contains("://"), url.count > scheme!.count + 3 else {
            fail(urlNode, "'\(url)' is not an http:// or https:// address")
            return nil
        }
        var resolver = WebhookResolver(url: url, secret: fields["secret"].flatMap { string($0) }.flatMap { $0.isEmpty ? nil : $0 },
                                       timeoutMilliseconds: WebhookResolver.defaultTimeoutMilliseconds, maximumAttempts: 10,
                                       initialDelayMilliseconds: 1_000, maximumDelayMilliseconds: 300_000)
        positiveInts(fields, into: &resolver, ["timeout_ms": \.timeoutMilliseconds, "max_attempts": \.maximumAttempts,
                                               "initial_delay_ms": \.initialDelayMilliseconds, "max_delay_ms": \.maximumDelayMilliseconds])
        return resolver
    }

    /// The table a resolver writes to, which must have the columns it fills.
    private mutating func targetTable(_ name: String, at node: Node, tables: [String: TableModel], context: String,
                                      needs columns: [(name: String, category: ColumnType.Category?)], of what: String) -> TableModel? {
        guard let target = tables[name] else {
            fail(node, "\(context) writes \(what) to table '\(name)', which no table file describes"
                + NameSuggestion.hint(for: name, among: tables.keys.sorted()))
            return nil
        }
        let missing = columns.filter { needed in
            guard let column = target.column(named: needed.name) else { return true }
            return needed.category.map { column.type.category != $0 } ?? false
        }
        guard missing.isEmpty else {
            let wanted = columns.map { needed in needed.category.map { "\(needed.name) (\($0.rawValue))" } ?? needed.name }.joined(separator: ", ")
            fail(node, "\(context) writes \(what) to '\(name)', which lacks \(missing.map(\.name).joined(separator: ", ")); "
                + "a \(what) table has the columns \(wanted)")
            return nil
        }
        return target
    }

    /// `new.column`, `old.relationship.column`, …; array relationships only where `arrays`.
    mutating func rowPath(_ node: Node, table: TableModel, tables: [String: TableModel], arrays: Bool) -> RowPath? {
        guard let written = string(node) else { return nil }
        return rowPath(written, at: position(of: node), node: node, table: table, tables: tables, arrays: arrays)
    }

    mutating func rowPath(_ written: String, at position: SourcePosition, node: Node, table: TableModel,
                          tables: [String: TableModel], arrays: Bool) -> RowPath? {
        let parts = written.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, let image = RowImage(rawValue: parts[0]) else {
            fail(node, "'\(written)' is not a path into the row; start with 'new.' or 'old.' and end with a column (new.assignee_id)")
            return nil
        }
        var current = table
        for name in parts.dropFirst().dropLast() {
            guard let relationship = current.relationship(named: name), let next = tables[relationship.target] else {
                fail(node, "'\(written)' goes through '\(name)', which is not a relationship of '\(current.name)'"
                    + NameSuggestion.hint(for: name, among: current.relationships.map(\.name)))
                return nil
            }
            if relationship.kind == .array && !arrays {
                fail(node, "'\(written)' goes through the array relationship '\(name)', which gives many values where one is needed")
                return nil
            }
            current = next
        }
        let column = parts.last!  // at least two parts, checked above
        guard current.column(named: column) != nil else {
            fail(node, "'\(written)' ends with '\(column)', which is not a column of '\(current.name)'"
                + NameSuggestion.hint(for: column, among: current.columns.map(\.name)))
            return nil
        }
        return RowPath(image: image, relationships: Array(parts.dropFirst().dropLast()), column: column, position: position)
    }

    /// A payload: mappings, sequences and scalars; strings may hold `{{path}}` fields.
    private mutating func payloadTemplate(_ node: Node, table: TableModel, tables: [String: TableModel]) -> PayloadTemplate {
        switch node {
        case .mapping:
            return .object(entries(node, context: "payload").map { name, _, value in
                PayloadMember(key: name, value: payloadTemplate(value, table: table, tables: tables))
            })
        case .sequence(let sequence):
            return .array(sequence.map { payloadTemplate($0, table: table, tables: tables) })
        case .scalar(let scalar):
            guard let text = string(node) else { return .null }
            if scalar.style == .plain {
                switch text {
                case "null", "~": return .null
                case "true", "false": return .boolean(text == "true")
                default: if Double(text) != nil, text.first != "." { return .number(text) }
                }
            }
            return .text(templateParts(text, node: node, table: table, tables: tables))
        case .alias:
            fail(node, "YAML aliases are not supported here")
            return .null
        }
    }

    private mutating func templateParts(_ text: String, node: Node, table: TableModel, tables: [String: TableModel]) -> [TemplatePart] {
        var parts: [TemplatePart] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                fail(node, "'{{' without a closing '}}' in '\(text)'")
                return parts
            }
            let field = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if field.hasPrefix("event.") {
                let name = String(field.dropFirst("event.".count))
                if TemplateField.eventFields.contains(name) {
                    parts.append(.field(.event(name)))
                } else {
                    fail(node, "'{{\(field)}}' is no field of the event; expected one of "
                        + TemplateField.eventFields.map { "event.\($0)" }.joined(separator: ", "))
                }
            } else if let path = rowPath(field, at: position(of: node), node: node, table: table, tables: tables, arrays: false) {
                parts.append(.field(.row(path)))
            }
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        return parts
    }
}

/// The columns a notifications table has, which the notification resolver fills.
public enum NotificationTable {
    static let columns: [(name: String, category: ColumnType.Category?)] = [
        ("user_id", nil), ("kind", .text), ("payload", .jsonb), ("idempotency_key", .text),
    ]
}

/// The columns a history table has, which the history resolver fills.
public enum HistoryTable {
    static let columns: [(name: String, category: ColumnType.Category?)] = [
        ("entity", .text), ("entity_id", .text), ("operation", .text), ("actor_id", nil), ("before", .jsonb), ("after", .jsonb),
        ("change_event_id", nil), ("version", nil),
    ]
}
