import Foundation
import Testing
import TestSupport

@Suite("strata explain")
struct ExplainCommandTests {
    @Test("prints the operation's one statement and each placeholder's source and value")
    func explain() async throws {
        let directory = try TestScratch.directory("explain")
        let file = directory + "/task.graphql"
        try "query T($id: uuid!) { tasks_by_pk(id: $id) { title } }".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await StrataProcess.run(["explain", "--role", "member", file, "--variables", #"{"id":"12000000-0000-4000-8000-000000000001"}"#,
                                                  "--tenant", DemoTenants.acme])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(#"SELECT "pg_catalog"."json_build_object"('tasks_by_pk', "#))
        #expect(result.stdout.contains("-- $1 = $session.tenant_id  → \"\(DemoTenants.acme)\""))
        #expect(result.stdout.contains(#"-- $2 = variable $id  → "12000000-0000-4000-8000-000000000001""#))
        #expect(result.stdout.contains("-- run with concurrent requests of the same plan and session, when they wait for a connection, as:\nSELECT"))
        #expect(result.stdout.contains(#"-- $1 = each member's values  → "[[\"\#(DemoTenants.acme)\",\"12000000-0000-4000-8000-000000000001\"]]""#),
                "\(result.stdout)")
    }

    @Test("a mutation prints one statement per field, numbered, with values inside variables shown")
    func mutation() async throws {
        let directory = try TestScratch.directory("explain-mutation")
        let file = directory + "/write.graphql"
        try """
            mutation M($rows: [comments_insert_input!]!) {
              insert_comments(objects: $rows) { affected_rows }
              delete_comments(where: {body: {_eq: "old"}}) { affected_rows }
            }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await StrataProcess.run(["explain", "--role", "member", file, "--tenant", DemoTenants.acme,
                                                  "--variables", #"{"rows":[{"task_id":"12000000-0000-4000-8000-000000000001","body":"hi"}]}"#])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("-- statement 1 of 2\nWITH \"w0\" AS (INSERT INTO \"public\".\"comments\""), "\(result.stdout)")
        #expect(result.stdout.contains(#"variable $rows as JSON  → "[{\"task_id\":\"12000000-0000-4000-8000-000000000001\",\"body\":\"hi\"}]""#),
                "rows with the same fields travel as one JSON parameter")
        #expect(result.stdout.contains("-- statement 2 of 2\nWITH \"w1\" AS (DELETE FROM \"public\".\"comments\""))
    }

    @Test("an operation outside the role's API is reported at its position")
    func invalid() async throws {
        let directory = try TestScratch.directory("explain-invalid")
        let file = directory + "/bad.graphql"
        try "{ tasks { reward_secret } }".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await StrataProcess.run(["explain", "--role", "anonymous", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.graphql:1:3: Cannot query field \"tasks\" on type \"query_root\"."), "\(result.stderr)")
    }
}
