import Database
import Foundation
import Testing
import TestSupport

/// PostgreSQL restarted under a running `strata dev` while clients query and insert
/// (scripts/lib/restart-drill.py), then stopped while the server is told to shut down.
@Suite("A database that restarts")
struct DatabaseRestartTests {
    struct DrillReport: Decodable {
        var requests: Int
        var statuses: [String: Int]
        var during_outage: Int
        var answered_503_during_outage: Int
        var retry_after_on_503: Bool
        var unexpected: [String]
        var slowest_seconds: Double
        var recovery_seconds: Double?
        var acknowledged_inserts: Int
        var stored_inserts: Int?
        var acknowledged_and_stored: Int?
    }

    @Test("503 with Retry-After while down, serving again within two seconds, every acknowledged insert stored, and SIGTERM still ends the server")
    func restart() async throws {
        let dataDirectory = try TestScratch.directory("restart")
        let server = try StrataProcess(["dev", "--port", "0", "--data-dir", dataDirectory])
        let line = try await server.waitForOutput(containing: "Strata is serving")
        let port = try #require(HTTPProbe.port(in: line))
        func token(_ role: String, _ user: String) async throws -> String {
            let result = try await StrataProcess.run(["token", "--data-dir", dataDirectory, "--role", role,
                                                      "--tenant", DemoTenants.acme, "--user", user])
            try #require(result.status == 0, "\(result.stderr)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let member = try await token("member", "10000000-0000-4000-8000-000000000002")
        let admin = try await token("admin", "10000000-0000-4000-8000-000000000001")
        let pgCtl = try PostgresBinaries.locate().pgCtl
        let runAs: String
        if case .other(let name, _, _) = try ClusterUser.forCurrentProcess() { runAs = name } else { runAs = "" }

        let (status, output) = try await ScriptRun.run("/usr/bin/env", ["python3", ProjectFiles.root + "/scripts/lib/restart-drill.py",
                                                                  "http://127.0.0.1:\(port)/graphql", member, admin, pgCtl, dataDirectory, runAs])
        print(output)
        try #require(status == 0, "\(output)")
        let json = try #require(output.split(separator: "\n").last(where: { $0.hasPrefix("{") }))
        let report = try JSONDecoder().decode(DrillReport.self, from: Data(json.utf8))
        #expect(report.unexpected.isEmpty, "only 200s and 503s: \(report.statuses)")
        #expect(report.during_outage > 0)
        #expect(report.answered_503_during_outage == report.during_outage)
        #expect(report.retry_after_on_503)
        #expect(report.slowest_seconds < 5, "no request waits out a hang")
        let recovery = try #require(report.recovery_seconds, "reads never succeeded again")
        #expect(recovery <= 2)
        #expect(report.acknowledged_inserts > 0)
        #expect(report.acknowledged_and_stored == report.acknowledged_inserts, "an acknowledged insert is missing")
        #expect((report.stored_inserts ?? 0) >= report.acknowledged_inserts)

        // Now the database goes away for good, and the server is stopped.
        let stop = Process()
        stop.executableURL = URL(fileURLWithPath: runAs.isEmpty ? pgCtl : "/usr/sbin/runuser")
        stop.arguments = (runAs.isEmpty ? [] : ["-u", runAs, "--", pgCtl]) + ["stop", "-D", dataDirectory + "/pg", "-m", "immediate", "-w"]
        try stop.run()
        _ = await stop.exited()
        _ = try? await HTTPProbe.status(port: port, path: "/readyz")
        let started = ContinuousClock.now
        server.signal(SIGTERM)
        _ = try await server.exitStatus(timeout: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(12), "SIGTERM ends the server within the drain timeout")
    }
}
