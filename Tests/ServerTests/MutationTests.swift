import Foundation
import GraphQLTypeSystem
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// Mutations over HTTP against the demo data: what a client sees and what the database holds
/// afterwards, events included.
@Suite("Mutations")
struct MutationTests {
    static let ada = "10000000-0000-4000-8000-000000000001"
    static let acmeRobots = "11000000-0000-4000-8000-000000000001"
    static let globexProject = "21000000-0000-4000-8000-000000000001"
    static let globexTask = "22000000-0000-4000-8000-000000000001"
    static let globexComment = "23000000-0000-4000-8000-000000000001"

    static func adminToken() async throws -> String {
        try await GraphQLTestServer.token([("role", .string("admin")), ("tenant_id", .string(DemoTenants.acme)), ("sub", .string(ada)),
                                           ("exp", .number(String(Int(Date().timeIntervalSince1970) + 600)))])
    }

    /// Posts `query` with `variables`, returning the status and the parsed body.
    func run(_ client: LiveClient, _ query: String, variables: JSONValue = .object([]),
             token: String) async throws -> (HTTPResponse.Status, JSONValue) {
        let body = JSONValue.object([("query", .string(query)), ("variables", variables)]).serialized
        let headers: HTTPFields = [.accept: "application/graphql-response+json", .contentType: "application/json",
                                   .authorization: "Bearer \(token)"]
        return try await client.execute(uri: "/graphql", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            (response.status, try JSONValue.parse(String(buffer: response.body)))
        }
    }

    func count(_ database: TestDatabase, _ query: PostgresQuery) async throws -> Int {
        let rows = try await database.rows(query)
        guard let first = rows.first, let text = first.first ?? nil, let number = Int(text) else { return -1 }
        return number
    }

    @Test("an insert takes the tenant and presets from the session; a client that sends tenant_id is refused")
    func insertTenant() async throws {
        let test = try await GraphQLTestServer.start()
        let member = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let (status, body) = try await run(client, """
                mutation($task: uuid!) { insert_comments_one(object: {task_id: $task, body: "Mine"}) { body author { name } } }
                """, variables: .object([("task", .string("12000000-0000-4000-8000-000000000001"))]), token: member)
            #expect(status == .ok)
            #expect(body.serialized == #"{"data":{"insert_comments_one":{"body":"Mine","author":{"name":"Alan Turing"}}}}"#)
            let rows = try await test.database.rows("SELECT tenant_id::text, author_id::text FROM public.comments WHERE body = 'Mine'")
            #expect(rows == [[DemoTenants.acme, GraphQLTestServer.alan]])

            let (refused, error) = try await run(client, """
                mutation { insert_comments_one(object: {task_id: "12000000-0000-4000-8000-000000000001", body: "x", tenant_id: "\(DemoTenants.globex)"}) { id } }
                """, token: member)
            #expect(refused == .badRequest)
            #expect(error.serialized.contains(#"Field \"tenant_id\" is not defined by type \"comments_insert_input\""#))
            #expect(try await count(test.database, "SELECT count(*)::text FROM public.comments WHERE tenant_id = \(DemoTenants.globex)::uuid AND body = 'x'") == 0)
        }
        await test.pool.shutdown()
    }

    @Test("a nested insert writes parent, children and grandchildren, each with one change event")
    func nestedInsertEvents() async throws {
        let test = try await GraphQLTestServer.start()
        let admin = try await Self.adminToken()
        let before = try await count(test.database, "SELECT count(*)::text FROM strata.change_events")
        try await test.server.test { client in
            let (status, body) = try await run(client, """
                mutation { insert_projects(objects: [{name: "Rocket", tasks: {data: [
                    {title: "Design", comments: {data: [{body: "Nozzle first", author_id: "\(Self.ada)"}]}},
                    {title: "Build"}]}}]) {
                  affected_rows returning { name owner { name } tasks(order_by: {title: asc}) { title comments { body } } }
                } }
                """, token: admin)
            #expect(status == .ok)
            #expect(body.serialized == #"{"data":{"insert_projects":{"affected_rows":4,"returning":[{"name":"Rocket","owner":{"name":"Ada Lovelace"},"tasks":[{"title":"Build","comments":[]},{"title":"Design","comments":[{"body":"Nozzle first"}]}]}]}}}"#)
        }
        let events = try await test.database.rows("""
            SELECT table_name, op, actor, count(*)::text FROM strata.change_events WHERE id > \(before) GROUP BY 1, 2, 3 ORDER BY 1
            """)
        #expect(events == [["comments", "insert", Self.ada, "1"], ["projects", "insert", Self.ada, "1"], ["tasks", "insert", Self.ada, "2"]])
        let linked = try await count(test.database, """
            SELECT count(*)::text FROM public.tasks t JOIN public.projects p ON p.id = t.project_id
            WHERE p.name = 'Rocket' AND t.tenant_id = p.tenant_id AND p.owner_id = \(Self.ada)::uuid
            """)
        #expect(linked == 2)
        await test.pool.shutdown()
    }

    @Test("when the second field fails, the first field's write and its event are rolled back")
    func atomicity() async throws {
        let test = try await GraphQLTestServer.start()
        let member = try await GraphQLTestServer.memberToken()
        let before = try await count(test.database, "SELECT count(*)::text FROM strata.change_events")
        try await test.server.test { client in
            let (status, body) = try await run(client, """
                mutation {
                  first: insert_comments_one(object: {task_id: "12000000-0000-4000-8000-000000000001", body: "Should vanish"}) { id }
                  second: insert_comments_one(object: {task_id: "12000000-0000-4000-8000-0000000000ff", body: "No such task"}) { id }
                }
                """, token: member)
            #expect(status == .ok)
            #expect(body.serialized == #"{"errors":[{"message":"A row of 'comments' refers to a row that does not exist, or is referred to by other rows ('comments_task_id_fkey').","path":["second"],"extensions":{"code":"foreign-key-violation","table":"comments","constraint":"comments_task_id_fkey"}}],"data":null}"#)
        }
        #expect(try await count(test.database, "SELECT count(*)::text FROM public.comments WHERE body = 'Should vanish'") == 0)
        #expect(try await count(test.database, "SELECT count(*)::text FROM strata.change_events") == before)
        await test.pool.shutdown()
    }

    @Test("a row that breaks the role's check rolls the request back with permission-error naming the table")
    func checkViolation() async throws {
        let test = try await GraphQLTestServer.start()
        let member = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            // The member's insert check wants the task's project visible to them: another
            // tenant's project id satisfies the foreign key but not the check.
            let (_, body) = try await run(client, """
                mutation {
                  ok: insert_tasks_one(object: {title: "Fine", project_id: "\(Self.acmeRobots)"}) { title }
                  sneaky: insert_tasks_one(object: {title: "Sneaky", project_id: "\(Self.globexProject)"}) { title }
                }
                """, token: member)
            #expect(body.serialized == #"{"errors":[{"message":"A row written to 'tasks' does not satisfy the role's check; nothing was written.","path":["sneaky"],"extensions":{"code":"permission-error","table":"tasks"}}],"data":null}"#)
        }
        #expect(try await count(test.database, "SELECT count(*)::text FROM public.tasks WHERE title IN ('Fine', 'Sneaky')") == 0)
        await test.pool.shutdown()
    }

    @Test("a member cannot update or delete another tenant's row, even by primary key")
    func tenantIsolation() async throws {
        let test = try await GraphQLTestServer.start()
        let member = try await GraphQLTestServer.memberToken()
        let before = try await count(test.database, "SELECT count(*)::text FROM strata.change_events")
        try await test.server.test { client in
            let (_, body) = try await run(client, """
                mutation {
                  byKey: update_tasks_by_pk(pk_columns: {id: "\(Self.globexTask)"}, _set: {title: "Mine now"}) { title }
                  byWhere: update_tasks(where: {id: {_eq: "\(Self.globexTask)"}}, _set: {title: "Mine now"}) { affected_rows }
                  everything: update_tasks(where: {}, _set: {due_on: "2030-01-01"}) { affected_rows }
                  deleteByKey: delete_comments_by_pk(id: "\(Self.globexComment)") { id }
                  deleteAll: delete_comments(where: {}) { affected_rows }
                }
                """, token: member)
            // The member may update acme's tasks assigned to them or to nobody, and delete
            // only comments they wrote (none in the demo data).
            #expect(body.serialized == #"{"data":{"byKey":null,"byWhere":{"affected_rows":0},"everything":{"affected_rows":2},"deleteByKey":null,"deleteAll":{"affected_rows":0}}}"#)
        }
        let globex = try await test.database.rows("SELECT title, coalesce(due_on::text, '-') FROM public.tasks WHERE tenant_id = \(DemoTenants.globex)::uuid ORDER BY id")
        #expect(globex.allSatisfy { $0[0] != "Mine now" && $0[1] != "2030-01-01" })
        #expect(try await count(test.database, "SELECT count(*)::text FROM public.comments WHERE tenant_id = \(DemoTenants.globex)::uuid") == 1)
        let events = try await test.database.rows("SELECT tenant_id, op, count(*)::text FROM strata.change_events WHERE id > \(before) GROUP BY 1, 2")
        #expect(events == [[DemoTenants.acme, "update", "2"]])
        await test.pool.shutdown()
    }

    @Test("unique, not-null and check constraint violations become coded errors naming the constraint, with no SQL")
    func constraintViolations() async throws {
        let test = try await GraphQLTestServer.start()
        let admin = try await Self.adminToken()
        try await test.server.test { client in
            let (_, unique) = try await run(client, #"mutation { insert_users_one(object: {email: "ada@acme.test", name: "Ada again"}) { id } }"#, token: admin)
            #expect(unique.serialized == #"{"errors":[{"message":"A row of 'users' with the same unique key already exists ('users_tenant_email_key').","path":["insert_users_one"],"extensions":{"code":"constraint-violation","table":"users","constraint":"users_tenant_email_key"}}],"data":null}"#)
            let (_, notNull) = try await run(client, #"mutation { insert_projects_one(object: {name: null}) { id } }"#, token: admin)
            #expect(notNull.serialized == #"{"errors":[{"message":"Column 'name' of 'projects' needs a value.","path":["insert_projects_one"],"extensions":{"code":"not-null-violation","table":"projects","column":"name"}}],"data":null}"#)
            let (_, check) = try await run(client, """
                mutation { update_tasks(where: {}, _inc: {estimate_hours: -1000}) { affected_rows } }
                """, token: admin)
            #expect(check.serialized == #"{"errors":[{"message":"A row of 'tasks' breaks a check constraint ('tasks_estimate_hours_check').","path":["update_tasks"],"extensions":{"code":"check-violation","table":"tasks","constraint":"tasks_estimate_hours_check"}}],"data":null}"#)
        }
        await test.pool.shutdown()
    }

    @Test("upsert updates a conflicting row under the update permission; a table the role may not update offers no on_conflict")
    func upsert() async throws {
        let test = try await GraphQLTestServer.start()
        let admin = try await Self.adminToken()
        try await test.server.test { client in
            let (_, body) = try await run(client, """
                mutation { insert_users(objects: [{email: "ada@acme.test", name: "Countess Lovelace"}, {email: "new@acme.test", name: "Newcomer"}],
                                        on_conflict: {constraint: users_tenant_email_key, update_columns: [name]}) {
                  affected_rows returning { email name }
                } }
                """, token: admin)
            #expect(body.serialized == #"{"data":{"insert_users":{"affected_rows":2,"returning":[{"email":"ada@acme.test","name":"Countess Lovelace"},{"email":"new@acme.test","name":"Newcomer"}]}}}"#)
            let (status, refused) = try await run(client, """
                mutation { insert_wallets(objects: [{user_id: "\(Self.ada)", currency: "USD"}], on_conflict: {constraint: wallets_pkey}) { affected_rows } }
                """, token: admin)
            #expect(status == .badRequest)
            #expect(refused.serialized.contains(#"Unknown argument \"on_conflict\" on field \"mutation_root.insert_wallets\""#))
        }
        #expect(try await test.database.rows("SELECT name FROM public.users WHERE email = 'ada@acme.test'") == [["Countess Lovelace"]])
        await test.pool.shutdown()
    }

    @Test("values inside variables are bound, a hostile one included")
    func boundValues() async throws {
        let test = try await GraphQLTestServer.start()
        let member = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let query = "mutation($c: [comments_insert_input!]!) { insert_comments(objects: $c) { affected_rows } }"
            for body in ["one", "two'; DROP TABLE public.comments; --", "three"] {
                let (_, result) = try await run(client, query, variables: .object([("c", .array([.object([
                    ("task_id", .string("12000000-0000-4000-8000-000000000001")), ("body", .string(body))])]))]), token: member)
                #expect(result.serialized == #"{"data":{"insert_comments":{"affected_rows":1}}}"#)
            }
        }
        #expect(try await count(test.database, "SELECT count(*)::text FROM public.comments WHERE author_id = \(GraphQLTestServer.alan)::uuid") == 3)
        await test.pool.shutdown()
    }
}

extension MutationTests {
    @Test("input that cannot be written is refused before anything runs, saying what and where")
    func refusedInput() async throws {
        let test = try await GraphQLTestServer.start()
        let admin = try await Self.adminToken()
        try await test.server.test { client in
            let cases: [(String, String)] = [
                ("mutation { update_tasks(where: {}) { affected_rows } }",
                 "at least one of _set and _inc must name a column to update"),
                (#"mutation { update_tasks(where: {}, _set: {estimate_hours: 1}, _inc: {estimate_hours: 2}) { affected_rows } }"#,
                 "column 'estimate_hours' can be updated only once; it appears in both _set and _inc"),
                (#"mutation { insert_tasks_one(object: {title: "x", project_id: "\#(Self.acmeRobots)", project: {data: {name: "p"}}}) { id } }"#,
                 "column 'project_id' of 'tasks' is given both directly and by the nested insert of 'project'"),
            ]
            for (query, message) in cases {
                let (status, body) = try await run(client, query, token: admin)
                #expect(status == .badRequest, "\(query)")
                #expect(body.serialized.contains(message), "\(body.serialized)")
                #expect(body.serialized.contains(#""code":"validation-failed""#))
            }
        }
        #expect(try await count(test.database, "SELECT count(*)::text FROM public.projects WHERE name = 'p'") == 0)
        await test.pool.shutdown()
    }
}
