/// A table's event trigger from its file's `triggers:`: which of the table's change events it
/// takes, and the resolver that turns each into an effect.
public struct EventTrigger: Sendable, Hashable {
    /// Unique within its table.
    public var name: String
    /// The API name of the table whose events it takes — or, for a trigger on a named domain
    /// event (`isDomainEvent`), the event's type (`money.hold.expired`).
    public var table: String
    public var operations: Set<ChangeOperation>
    /// An update fires the trigger only when one of these columns changed; empty for any update.
    public var columns: [String]
    /// A condition on the row before (`old`) and after (`new`) the change.
    public var condition: TriggerCondition?
    public var resolver: Resolver
    public var position: SourcePosition
    /// Set off by a domain event emitted from SQL (`strata.emit`) rather than a table's change.
    public var isDomainEvent = false

    /// The name its deliveries are kept under: `tasks.notify_assignee`, `money.hold.expired.audit`.
    public var handlerName: String { "\(table).\(name)" }
}

/// A trigger's `where:` — the permission filter language, on the row images `old` and `new`.
public indirect enum TriggerCondition: Sendable, Hashable {
    case and([TriggerCondition])
    case or([TriggerCondition])
    case not(TriggerCondition)
    case row(RowImage, RowFilter)
}

/// The row before the change (update, delete) or after it (insert, update).
public enum RowImage: String, Sendable, Hashable {
    case old, new
}

/// What a trigger does with an event.
public enum Resolver: Sendable, Hashable {
    case notification(NotificationResolver)
    case history(HistoryResolver)
    case sql(SQLFunctionResolver)
    case webhook(WebhookResolver)

    public var kind: String {
        switch self {
        case .notification: "notification"
        case .history: "history"
        case .sql: "sql"
        case .webhook: "webhook"
        }
    }
}

/// One notification row per recipient and event, keyed `trigger:event:recipient`.
public struct NotificationResolver: Sendable, Hashable {
    /// The API name of the table notifications are written to.
    public var table: String
    /// Where the recipients' user ids are read: columns of the row or of related rows.
    public var recipients: [RowPath]
    public var kind: String
    public var payload: PayloadTemplate
}

/// One history row per event: the entity, its key, the operation, the actor, the row before and
/// after (or only the columns that changed), and the entity's version.
public struct HistoryResolver: Sendable, Hashable {
    /// The API name of the table history rows are written to.
    public var table: String
    public var changedColumnsOnly: Bool
}

/// A SQL function called with the event as `jsonb`, under the event's tenant and actor.
public struct SQLFunctionResolver: Sendable, Hashable {
    public var schema: String
    public var function: String

    public init(schema: String, function: String) {
        self.schema = schema
        self.function = function
    }
}

/// An HTTP POST of the event as JSON, signed with the secret, retried with backoff and jitter
/// until the receiver answers 2xx or the attempts run out (a dead letter).
public struct WebhookResolver: Sendable, Hashable {
    public var url: String
    /// The HMAC-SHA256 key of the `Strata-Signature` header; nil sends none.
    public var secret: String?
    public var timeoutMilliseconds: Int
    public var maximumAttempts: Int
    public var initialDelayMilliseconds: Int
    public var maximumDelayMilliseconds: Int

    public static let defaultTimeoutMilliseconds = 10_000
}

/// `new.assignee_id`, `new.task.assignee_id`: a column of the row image, or of rows related to
/// it through relationships.
public struct RowPath: Sendable, Hashable, CustomStringConvertible {
    public var image: RowImage
    public var relationships: [String]
    public var column: String
    public var position: SourcePosition

    public var description: String { ([image.rawValue] + relationships + [column]).joined(separator: ".") }

    /// Paths are equal when they name the same column the same way, wherever written.
    public static func == (lhs: RowPath, rhs: RowPath) -> Bool {
        lhs.image == rhs.image && lhs.relationships == rhs.relationships && lhs.column == rhs.column
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }
}

/// A notification's payload: JSON whose strings may hold `{{new.title}}`-style fields. A string
/// that is one field alone takes the field's JSON value; fields inside text are written as text.
public indirect enum PayloadTemplate: Sendable, Hashable {
    case object([PayloadMember])
    case array([PayloadTemplate])
    case text([TemplatePart])
    case number(String)
    case boolean(Bool)
    case null
}

public struct PayloadMember: Sendable, Hashable {
    public var key: String
    public var value: PayloadTemplate
}

public enum TemplatePart: Sendable, Hashable {
    case literal(String)
    case field(TemplateField)
}

/// A field a template may use.
public enum TemplateField: Sendable, Hashable {
    case row(RowPath)
    /// `event.id`, `event.op`, `event.table`, `event.actor`.
    case event(String)

    public static let eventFields = ["id", "op", "table", "actor"]
}

extension SchemaProject {
    /// The event triggers of every table, in file order, then those on domain events.
    public var triggers: [EventTrigger] { tables.flatMap(\.triggers) + settings.domainTriggers }

    /// This project with `role` added as one that may read every column of every table, with
    /// no row filter: what background work is planned against (row-level security still holds
    /// where it runs).
    public func readingEverything(as role: String) -> SchemaProject {
        var project = self
        for index in project.tables.indices {
            let table = project.tables[index]
            let columns = table.columns.map(\.name) + table.computedFields.map(\.name)
            project.tables[index].permissions[role] = TablePermissions(
                select: SelectPermission(columns: columns, filter: .always, limit: nil, allowsAggregates: false, position: table.position),
                position: table.position)
        }
        return project
    }
}
