import Foundation
import Testing
import TestSupport

@Suite("strata queries")
struct QueriesCommandTests {
    @Test("check lists the project's trusted documents with their hashes and roles; manifest prints them for clients")
    func checkAndManifest() async throws {
        let check = try await StrataProcess.run(["queries", "check"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("queries/bench/tasks_by_pk.graphql  (admin, member)"))
        #expect(check.stdout.contains("3 trusted document(s); trusted_documents: off"))
        let manifest = try await StrataProcess.run(["queries", "manifest"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(manifest.stdout.utf8)) as? [String: Any])
        #expect(json["format"] as? String == "apollo-persisted-query-manifest" && json["version"] as? Int == 1)
        let operations = try #require(json["operations"] as? [[String: Any]])
        #expect(operations.compactMap { $0["name"] as? String }.sorted() == ["NewTask", "RecentTasks", "TaskByPk"])
        #expect(operations.allSatisfy { ($0["id"] as? String)?.count == 64 && $0["body"] is String })
    }

    @Test("a document that does not validate for a role it names is reported at its file, line and column; exit 1")
    func problems() async throws {
        let directory = try TestScratch.directory("queries")
        try "# roles: member\nquery Broken { tasks { titel } }\n".write(toFile: directory + "/broken.graphql", atomically: true, encoding: .utf8)
        let check = try await StrataProcess.run(["queries", "check", "--queries", directory])
        #expect(check.status == 1)
        #expect(check.stderr.contains("\(directory)/broken.graphql:2:24: Cannot query field \"titel\" on type \"tasks\". Did you mean \"title\"? (as member)"),
                "\(check.stderr)")
    }
}
