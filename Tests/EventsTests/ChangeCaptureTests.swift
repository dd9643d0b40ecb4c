import Database
import Events
import Foundation
import Logging
import PostgresNIO
import SchemaModel
import Testing
import TestSupport

/// The capture triggers, exercised with plain SQL: what Strata's mutations will do
/// through GraphQL, any other client of the database does too.
@Suite("Change events captured by trigger")
struct ChangeCaptureTests {
    static let acme = "00000000-0000-4000-8000-000000000001"
    static let task = "12000000-0000-4000-8000-000000000001"
    static let author = "10000000-0000-4000-8000-000000000001"
    let logger = Logger(label: "strata.events-test")

    /// A database with the demo data; events so far are ignored by `events(after:)`.
    func seeded() async throws -> TestDatabase {
        let database = try await TestCluster.shared.makeDatabase()
        try await database.loadDemoData()
        return database
    }

    static func lastID(_ database: TestDatabase) async throws -> Int {
        Int(try await database.rows("SELECT coalesce(max(id), 0)::text FROM strata.change_events").first?.first??.description ?? "0") ?? 0
    }

    /// (op, table, tenant, primary key, old, new, actor) of the events after `id`, in order.
    static func events(_ database: TestDatabase, after id: Int) async throws -> [[String?]] {
        try await database.rows("""
            SELECT op, table_name, tenant_id, primary_key::text, old ->> 'body', new ->> 'body', actor
            FROM strata.change_events WHERE id > \(id) ORDER BY id
            """)
    }

    @Test("an insert, an update and a delete leave one event each with the row before and after; an update changing nothing leaves none")
    func oneEventPerChangedRow() async throws {
        let database = try await seeded()
        let start = try await Self.lastID(database)
        let comment = "13000000-0000-4000-8000-0000000000aa"
        try await database.withConnection { connection in
            try await connection.query("SELECT set_config('app.user_id', \(Self.author), false)", logger: logger)
            try await connection.query("""
                INSERT INTO public.comments (id, tenant_id, task_id, author_id, body)
                VALUES (\(comment)::uuid, \(Self.acme)::uuid, \(Self.task)::uuid, \(Self.author)::uuid, 'first')
                """, logger: logger)
            try await connection.query("UPDATE public.comments SET body = 'second' WHERE id = \(comment)::uuid", logger: logger)
            try await connection.query("UPDATE public.comments SET body = 'second' WHERE id = \(comment)::uuid", logger: logger)
            try await connection.query("DELETE FROM public.comments WHERE id = \(comment)::uuid", logger: logger)
        }
        let key = "{\"id\": \"\(comment)\"}"
        #expect(try await Self.events(database, after: start) == [
            ["insert", "comments", Self.acme, key, nil, "first", Self.author],
            ["update", "comments", Self.acme, key, "first", "second", Self.author],
            ["delete", "comments", Self.acme, key, "second", nil, Self.author],
        ])
    }

    @Test("a rolled-back write leaves no event; a statement changing many rows leaves one per row")
    func transactional() async throws {
        let database = try await seeded()
        let start = try await Self.lastID(database)
        try await database.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            try await connection.query("UPDATE public.comments SET body = body || '!'", logger: logger)
            try await connection.query("ROLLBACK", logger: logger)
        }
        #expect(try await Self.events(database, after: start).isEmpty)
        let comments = try await database.rows("SELECT count(*)::text FROM public.comments").first?.first ?? nil
        try await database.withConnection { connection in
            try await connection.query("UPDATE public.comments SET body = body || '!'", logger: logger)
        }
        let events = try await Self.events(database, after: start)
        #expect(String(events.count) == comments)
        #expect(events.allSatisfy { $0[0] == "update" && $0[6] == nil })
    }

    @Test("an application role writing through row-level security leaves an event it cannot read")
    func writtenUnderRLS() async throws {
        let database = try await seeded()
        let start = try await Self.lastID(database)
        try await database.withConnection { connection in
            try await connection.query("SET ROLE member", logger: logger)
            try await connection.query("SELECT set_config('app.tenant_id', \(Self.acme), false), set_config('app.user_id', \(Self.author), false)",
                                       logger: logger)
            try await connection.query("UPDATE public.tasks SET title = title || '.' WHERE id = \(Self.task)::uuid", logger: logger)
            await #expect(throws: PSQLError.self) {
                try await connection.query("SELECT count(*) FROM strata.change_events", logger: logger)
            }
        }
        let events = try await database.rows("SELECT op, table_name, tenant_id, actor FROM strata.change_events WHERE id > \(start)")
        #expect(events == [["update", "tasks", Self.acme, Self.author]])
    }

    @Test("a statement inserting fifty rows leaves one event per row, each with its key, tenant and actor; the writer notifies no one")
    func bulkInsert() async throws {
        let database = try await seeded()
        let start = try await Self.lastID(database)
        let received = try await database.withConnection { listener in
            let notifications = try await listener.listen("strata_events")
            try await database.withConnection { writer in
                try await writer.query("SELECT set_config('app.user_id', \(Self.author), false)", logger: logger)
                try await writer.query("""
                    INSERT INTO public.tasks (tenant_id, project_id, title, status)
                    SELECT \(Self.acme)::uuid, '11000000-0000-4000-8000-000000000001', 'bulk ' || n, 'todo' FROM generate_series(1, 50) AS n
                    """, logger: logger)
                // The only notification: committed after the insert, so it comes after anything the insert sent.
                try await writer.query("SELECT pg_notify('strata_events', 'marker')", logger: logger)
            }
            var payloads: [String] = []
            for try await notification in notifications {
                if notification.payload == "marker" { break }
                payloads.append(notification.payload)
            }
            return payloads
        }
        #expect(received.isEmpty, "writers do not notify: \(received)")
        let events = try await database.rows("""
            SELECT op, tenant_id, actor, (primary_key ->> 'id' = new ->> 'id')::text, new ->> 'title' FROM strata.change_events
            WHERE id > \(start) ORDER BY id
            """)
        #expect(events.count == 50)
        #expect(events.allSatisfy { $0[0] == "insert" && $0[1] == Self.acme && $0[2] == Self.author && $0[3] == "true" })
        #expect(Set(events.compactMap { $0[4] }) == Set((1...50).map { "bulk \($0)" }))
    }

    @Test("syncing with the YAML attaches the trigger for the listed operations and detaches it from tables no longer listed")
    func followsTheYAML() async throws {
        let database = try await seeded()
        let project = try SchemaProject.load(directory: ProjectFiles.root + "/schema")
        var tables = CapturedTable.all(in: project)
        #expect(Set(tables.map(\.apiName)) == ["comments", "entity_history", "notifications", "projects", "tasks", "transactions", "users", "wallets"])
        tables.removeAll { $0.apiName == "comments" }
        if let index = tables.firstIndex(where: { $0.apiName == "tasks" }) { tables[index].operations = ["insert"] }
        let kept = tables
        let report = try await database.withConnection { connection in
            try await ChangeCapture.sync(kept, on: connection, logger: logger)
        }
        #expect(report.detached == ["comments"])
        let start = try await Self.lastID(database)
        try await database.withConnection { connection in
            try await connection.query("UPDATE public.comments SET body = body || '!'", logger: logger)
            try await connection.query("UPDATE public.tasks SET title = title || '.'", logger: logger)
            try await connection.query("UPDATE public.projects SET name = name || '.' WHERE tenant_id = \(Self.acme)::uuid", logger: logger)
        }
        let tablesChanged = Set(try await Self.events(database, after: start).compactMap { $0[1] })
        #expect(tablesChanged == ["projects"])
    }
}
