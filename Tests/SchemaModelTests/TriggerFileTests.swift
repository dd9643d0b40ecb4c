import Testing
@testable import SchemaModel

/// `triggers:` in table files: what an author writes, and each mistake at its line and column.
@Suite("Event triggers in table files")
struct TriggerFileTests {
    static let settings: ProjectSettings = {
        var settings = SchemaProjectTests.settings
        settings.eventRole = "strata_worker"
        return settings
    }()

    static let users = """
        table: users
        primary_key: [id]
        columns:
          id: uuid
          name: text
        """
    static let notifications = """
        table: notifications
        primary_key: [id]
        unique:
          notifications_key: [idempotency_key]
        columns:
          id: uuid
          user_id: uuid
          kind: text
          payload: jsonb
          idempotency_key: text
        """
    static let history = """
        table: history
        primary_key: [id]
        columns:
          id: bigint
          entity: text
          entity_id: text
          operation: text
          actor_id: { type: uuid, nullable: true }
          before: { type: jsonb, nullable: true }
          after: { type: jsonb, nullable: true }
          change_event_id: bigint
          version: integer
        """

    static func tasks(events: String = "events: true", triggers: String) -> String {
        """
        table: tasks
        primary_key: [id]
        columns:
          id: uuid
          title: text
          assignee_id: { type: uuid, nullable: true }
        relationships:
          assignee:
            object: users
            columns: { assignee_id: id }
        \(events)
        triggers:
        \(triggers)
        """
    }

    func load(_ tasks: String, settings: ProjectSettings = Self.settings) throws -> SchemaProject {
        try SchemaProject.parse(settings: settings, files: [
            ("schema/tables/history.yaml", Self.history), ("schema/tables/notifications.yaml", Self.notifications),
            ("schema/tables/tasks.yaml", tasks), ("schema/tables/users.yaml", Self.users),
        ])
    }

    func errors(_ tasks: String, settings: ProjectSettings = Self.settings) -> [String] {
        SchemaProjectTests.messages { _ = try load(tasks, settings: settings) }
    }

    @Test("a notification with a condition, changed columns, a path through a relationship and a template; a history")
    func reads() throws {
        let project = try load(Self.tasks(triggers: """
              notify:
                operations: [insert, update]
                columns: [assignee_id]
                where:
                  _or:
                    - new: { title: { _like: "urgent%" } }
                    - old: { assignee_id: { _is_null: true } }
                notification:
                  recipients: [new.assignee_id]
                  kind: assigned
                  payload:
                    who: "{{new.assignee.name}}"
                    line: "{{new.title}} (event {{event.id}})"
                    flags: [1, true, null]
              audit:
                history: { table: history, changes: changed }
            """))
        let triggers = project.triggers
        #expect(triggers.map(\.handlerName) == ["tasks.notify", "tasks.audit"])
        let notify = try #require(triggers.first)
        #expect(notify.operations == [.insert, .update])
        #expect(notify.columns == ["assignee_id"])
        #expect(notify.condition == .or([.row(.new, .column("title", [Comparison(op: .like, value: .string("urgent%"))])),
                                         .row(.old, .column("assignee_id", [Comparison(op: .isNull, value: .boolean(true))]))]))
        guard case .notification(let resolver) = notify.resolver else {
            Issue.record("not a notification: \(notify.resolver)")
            return
        }
        #expect(resolver.recipients.map(\.description) == ["new.assignee_id"])
        #expect(resolver.payload == .object([
            PayloadMember(key: "who", value: .text([.field(.row(RowPath(image: .new, relationships: ["assignee"], column: "name",
                                                                           position: resolver.recipients[0].position)))])),
            PayloadMember(key: "line", value: .text([.field(.row(RowPath(image: .new, relationships: [], column: "title",
                                                                            position: resolver.recipients[0].position))),
                                                     .literal(" (event "), .field(.event("id")), .literal(")")])),
            PayloadMember(key: "flags", value: .array([.number("1"), .boolean(true), .null])),
        ]))
        #expect(triggers[1].resolver == .history(HistoryResolver(table: "history", changedColumnsOnly: true)))
        #expect(triggers[1].operations == Set(ChangeOperation.allCases))
    }

    @Test("each mistake in a trigger is reported where it is written, with what to write instead")
    func mistakes() {
        let tasks = Self.tasks(triggers: """
              notify:
                operations: [insert, update]
                columns: [assigne_id]
                where:
                  new: { assignee_id: { _eq: $session.user_id } }
                  now: {}
                notification:
                  recipient: new.assigne.name
                  payload: { x: "{{old.title" }
              twice:
                history: {}
                sql: { function: public.f }
              self:
                history: { table: tasks }
              bad_sql:
                sql: { function: "a.b.c" }
              unknown_target:
                notification: { table: nope, recipient: new.assignee_id, kind: k }
              hook:
                webhook: { url: "ftp://example.com/x", timeout_ms: 0 }
            """)
        #expect(errors(tasks) == [
            "schema/tables/tasks.yaml:15:15: trigger 'notify' names unknown column 'assigne_id' of 'tasks' (did you mean 'assignee_id'?)",
            "schema/tables/tasks.yaml:17:12: the 'where' of trigger 'notify' compares with a $session value, but a trigger runs after "
                + "the request; compare 'old' with 'new' values or constants",
            "schema/tables/tasks.yaml:18:7: the 'where' of trigger 'notify' starts with 'now'; write 'new:' or 'old:' (the row after "
                + "or before the change), or _and, _or, _not (did you mean 'new'?)",
            "schema/tables/tasks.yaml:20:7: the notification of trigger 'notify' needs 'kind:', a name clients can tell notifications apart by",
            "schema/tables/tasks.yaml:20:18: 'new.assigne.name' goes through 'assigne', which is not a relationship of 'tasks' (did you mean 'assignee'?)",
            "schema/tables/tasks.yaml:21:21: '{{' without a closing '}}' in '{{old.title'",
            "schema/tables/tasks.yaml:22:3: trigger 'twice' needs exactly one resolver: notification, history, sql, webhook; it has history and sql",
            "schema/tables/tasks.yaml:26:23: trigger 'self' would write the history of 'tasks' into 'tasks' itself, each row another change",
            "schema/tables/tasks.yaml:28:22: 'a.b.c' is not a function name; write 'function' or 'schema.function'",
            "schema/tables/tasks.yaml:30:28: trigger 'unknown_target' writes notifications to table 'nope', which no table file describes",
            "schema/tables/tasks.yaml:32:21: 'ftp://example.com/x' is not an http:// or https:// address",
        ])
        let uncaptured = Self.tasks(events: "events: [insert]", triggers: "  audit:\n    operations: [insert, delete]\n    history: { table: history }")
        #expect(errors(uncaptured) == [
            "schema/tables/tasks.yaml:14:17: trigger 'audit' takes delete events of 'tasks', which its file does not capture; "
                + "add them to 'events:' (or write 'events: true')",
        ])
    }

    @Test("triggers need the role they run as")
    func needsRole() {
        #expect(errors(Self.tasks(triggers: "  audit:\n    history: { table: history }"), settings: SchemaProjectTests.settings) == [
            "schema/tables/tasks.yaml:13:3: trigger 'audit' needs the role triggers run as: set 'events: { role: … }' in strata.yaml "
                + "to a PostgreSQL role the login role is a member of, with the grants the triggers' effects need",
        ])
    }
}
