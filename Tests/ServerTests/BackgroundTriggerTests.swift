import Database
import Events
import Foundation
import GraphQLTypeSystem
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import SchemaModel
import Server
import Testing
import TestSupport

/// The demo's event triggers, run by an event reader beside the server, as `strata serve` runs
/// them: a client's write leaves its change event, the reader routes it to the triggers the YAML
/// declares, and their effects — notifications, history — commit with the delivery's
/// acknowledgement.
@Suite("Event triggers end to end")
struct BackgroundTriggerTests {
    static let ada = "10000000-0000-4000-8000-000000000001"
    static let robots = "11000000-0000-4000-8000-000000000001"

    /// A reader running `project`'s triggers on the test's database, registered before it returns.
    static func startWorker(_ database: TestDatabase, project: SchemaProject) async throws -> Task<Void, any Error> {
        let handlers = try TriggerHandler.all(in: project)
        var logger = Logger(label: "strata.test-worker")
        logger.logLevel = .warning
        let reader = EventReader(configuration: .init(endpoint: database.endpoint(user: "strata_authenticator"), batchSize: 100,
                                                      pollInterval: .milliseconds(200), role: project.settings.eventRole),
                                 handlers: handlers, logger: logger)
        let task = Task { try await reader.run() }
        try await BackgroundWait.until(database, "SELECT count(*)::text FROM strata.event_handlers WHERE declared", is: String(handlers.count))
        return task
    }

    static func post(_ client: LiveClient, _ query: String, token: String) async throws -> JSONValue {
        let headers: HTTPFields = [.accept: "application/graphql-response+json", .contentType: "application/json",
                                   .authorization: "Bearer \(token)"]
        let body = JSONValue.object([("query", .string(query))]).serialized
        return try await client.execute(uri: "/graphql", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            try JSONValue.parse(String(buffer: response.body))
        }
    }

    @Test("a task assigned over HTTP: the assignee's live notifications get it, the task's history numbers each change")
    func assignmentFlow() async throws {
        let test = try await GraphQLTestServer.start(sockets: SocketSettings(initTimeout: .seconds(120), liveRefreshInterval: .milliseconds(10)), live: true)
        let project = try SchemaProject.load(directory: ProjectFiles.root + "/schema", environment: [:])
        let worker = try await Self.startWorker(test.database, project: project)
        defer { worker.cancel() }
        let alan = try await GraphQLTestServer.memberToken()
        let adaToken = try await GraphQLTestServer.token([("role", .string("member")), ("tenant_id", .string(GraphQLTestServer.acme)),
                                                          ("sub", .string(Self.ada)), ("exp", .number(String(Int(Date().timeIntervalSince1970) + 600)))])
        try await test.serving { client in
            let port = try #require(client.port)
            let socket = try await StreamSubscriptionTests.subscribe(
                port: port, token: alan, payload: #"{"query":"subscription { notifications(order_by: {created_at: asc}) { kind payload } }"}"#)
            #expect(await StreamSubscriptionTests.messages(socket, count: 1, within: 30) == [[]], "no notification yet")

            // Ada creates a task for Alan: her response comes back at once, with the task.
            let created = try await Self.post(client, """
                mutation { insert_tasks_one(object: {project_id: "\(Self.robots)", title: "Oil the arm", assignee_id: "\(GraphQLTestServer.alan)"}) { id } }
                """, token: adaToken)
            guard case .string(let task)? = created["data"]?["insert_tasks_one"]?["id"] else {
                Issue.record("no task created: \(created)")
                return
            }
            // Alan's subscription is pushed the notification the trigger wrote.
            let pushed = await StreamSubscriptionTests.messages(socket, count: 1, within: 30)
            let expected = JSONValue.object([
                ("kind", .string("task_assigned")),
                ("payload", .object([("title", .string("Oil the arm")), ("message", .string("You were assigned “Oil the arm”")),
                                     ("project", .string("Warehouse robots")), ("task_id", .string(task))])),
            ])
            #expect(pushed == [[expected]])

            // Two edits by Alan, then the history timeline as Alan reads it through the API.
            for title in ["Oil the arm well", "Oil the arm twice"] {
                _ = try await Self.post(client, #"mutation { update_tasks_by_pk(pk_columns: {id: "\#(task)"}, _set: {title: "\#(title)"}) { id } }"#,
                                        token: alan)
            }
            try await BackgroundWait.until(test.database, "SELECT count(*)::text FROM public.entity_history WHERE entity_id = \(task)", is: "3")
            let timeline = try await Self.post(client, """
                { entity_history(where: {entity_id: {_eq: "\(task)"}}, order_by: {version: asc}) { version operation actor_id after } }
                """, token: alan)
            guard case .array(let rows)? = timeline["data"]?["entity_history"] else {
                Issue.record("no history: \(timeline)")
                return
            }
            #expect(rows.map { $0["version"] } == [.number("1"), .number("2"), .number("3")])
            #expect(rows.map { $0["operation"] } == [.string("insert"), .string("update"), .string("update")])
            #expect(rows.map { $0["actor_id"] } == [.string(Self.ada), .string(GraphQLTestServer.alan), .string(GraphQLTestServer.alan)])
            #expect(rows.last?["after"]?["title"] == .string("Oil the arm twice"))

            // Renaming notified no one: only a change of assignee does.
            try await BackgroundWait.until(test.database, "SELECT count(*)::text FROM strata.event_deliveries", is: "0")
            #expect(try await test.database.rows("SELECT kind, user_id::text FROM public.notifications")
                == [["task_assigned", GraphQLTestServer.alan]])
        }
    }

    @Test("a notification made directly by a mutation takes a key in the triggers' key space: the same key again is refused")
    func directNotification() async throws {
        let test = try await GraphQLTestServer.start()
        let insert = #"mutation { insert_notifications_one(object: {user_id: "\#(GraphQLTestServer.alan)", kind: "welcome", payload: {}, idempotency_key: "onboarding:alan"}) { kind } }"#
        let first = await MoneyHoldTests.run(test.executor, insert, as: MoneyHoldTests.admin)
        #expect(first == .data(.object([("insert_notifications_one", .object([("kind", .string("welcome"))]))])))
        let again = await MoneyHoldTests.run(test.executor, insert, as: MoneyHoldTests.admin)
        guard case .refused(let code, _, _) = again else {
            Issue.record("the same key twice: \(again)")
            return
        }
        #expect(code == "constraint-violation")
        #expect(try await test.database.rows("SELECT count(*)::text FROM public.notifications WHERE idempotency_key = 'onboarding:alan'") == [["1"]])
        await test.stop()
    }
}
