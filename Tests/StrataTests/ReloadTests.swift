import Foundation
import Testing
import TestSupport

@Suite("Reloading the project")
struct ReloadTests {
    /// `strata dev` watching a copy of the demo schema, edited while two live queries run.
    @Test("strata dev reloads on save: a broken edit keeps the API, a valid one swaps it; a subscription that no longer validates ends with an error, the others go on")
    func reloadOnSave() async throws {
        let (pythonStatus, python) = try await ScriptRun.run(ProjectFiles.root + "/scripts/lib/python-gql", directory: ProjectFiles.root)
        try #require(pythonStatus == 0, "the Python client could not be installed: \(python)")
        let project = try TestScratch.directory("reload-project")
        try FileManager.default.copyItem(atPath: ProjectFiles.root + "/schema", toPath: project + "/schema")
        let dataDirectory = try TestScratch.directory("reload-dev")
        let server = try StrataProcess(["dev", "--port", "0", "--data-dir", dataDirectory, "--schema", project + "/schema"])
        let port = try #require(HTTPProbe.port(in: try await server.waitForOutput(containing: "Strata is serving")))
        let token = try await StrataProcess.run(["token", "--data-dir", dataDirectory, "--schema", project + "/schema", "--role", "member",
                                                 "--tenant", DemoTenants.acme, "--user", "10000000-0000-4000-8000-000000000002"])
        try #require(token.status == 0, "\(token.stderr)")
        let (status, report) = try await ScriptRun.run(python.trimmingCharacters(in: .whitespacesAndNewlines),
                                                       [ProjectFiles.root + "/scripts/lib/reload-check.py", "http://127.0.0.1:\(port)/graphql",
                                                        token.stdout.trimmingCharacters(in: .whitespacesAndNewlines), project + "/schema", dataDirectory + "/pg"])
        // SIGHUP reloads too (what `strata serve` has, without watching).
        let reloads = server.standardError.components(separatedBy: "reloaded: ").count
        server.signal(SIGHUP)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, server.standardError.components(separatedBy: "reloaded: ").count == reloads {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(server.standardError.contains("SIGHUP: reloading"))
        // At least one more (restoring the file at the script's end may reload too).
        #expect(server.standardError.components(separatedBy: "reloaded: ").count > reloads, "another reload after SIGHUP")
        server.signal(SIGTERM)
        #expect(try await server.exitStatus() == 0)
        print(report)
        #expect(status == 0, "\(report)")
        #expect(report.contains("both live: ['statuses', 'titles']"))
        #expect(report.contains("after a broken edit, titles still answer: True"))
        #expect(report.contains("and no subscription ended: True"))
        #expect(report.contains("titles subscription ended with: error True True"))
        #expect(report.contains("titles over HTTP now: validation-failed"))
        #expect(report.contains("statuses over HTTP now: True"))
        #expect(report.contains("statuses subscription still pushed: True"))
        let log = server.standardError
        #expect(log.contains("reload refused: ") && log.contains("tasks.yaml:"), "the broken edit's error is logged with its position")
        #expect(log.contains("reloaded: "), "\(log.suffix(2_000))")
    }
}
