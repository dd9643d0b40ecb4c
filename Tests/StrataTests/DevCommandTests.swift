import Foundation
import NIOPosix
import Synchronization
import Testing
import TestSupport

@Suite("strata dev with the embedded PostgreSQL")
struct DevCommandTests {
    func postmasterPID(_ dataDirectory: String) -> String? {
        (try? String(contentsOfFile: dataDirectory + "/pg/postmaster.pid", encoding: .utf8))?
            .split(separator: "\n").first.map(String.init)
    }

    @Test("SIGTERM during strata migrate stops it at once, stops the embedded PostgreSQL and says what stays applied — in the slow file or while the cluster starts")
    func interruptedMigrate() async throws {
        let migrations = try TestScratch.directory("slow-migrations")
        try "CREATE TABLE first_one (x int);".write(toFile: migrations + "/0001_first.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE second_one (y int);\nSELECT pg_sleep(120);\n".write(toFile: migrations + "/0002_slow.sql", atomically: true, encoding: .utf8)
        for pause in [Duration.seconds(4), .zero] {
            let dataDirectory = try TestScratch.directory("migrate-interrupted")
            let migrate = try StrataProcess(["migrate", "--data-dir", dataDirectory, "--migrations", migrations])
            for _ in 0..<1_200 where postmasterPID(dataDirectory) == nil { try await Task.sleep(for: .milliseconds(100)) }
            try #require(postmasterPID(dataDirectory) != nil, "the embedded PostgreSQL started")
            try await Task.sleep(for: pause)  // into the slow file, which sleeps two minutes; or at once, while the cluster starts
            let started = ContinuousClock.now
            migrate.signal(SIGTERM)
            let status = try await migrate.exitStatus(timeout: .seconds(60))
            #expect(status == 143, "\(migrate.standardError)")
            #expect(ContinuousClock.now - started < .seconds(30), "not after the slow statement's two minutes")
            #expect(migrate.standardError.contains("stopped by SIGTERM: the migrations applied before it stay applied"), "\(migrate.standardError)")
            for _ in 0..<100 where postmasterPID(dataDirectory) != nil { try await Task.sleep(for: .milliseconds(100)) }
            #expect(postmasterPID(dataDirectory) == nil, "the embedded PostgreSQL is stopped")
        }
    }

    @Test("requests are answered while nothing reads the request log, and no line of it is lost")
    func stalledLogReader() async throws {
        let dataDirectory = try TestScratch.directory("dev-stalled-log")
        let server = try StrataProcess(["dev", "--port", "0", "--data-dir", dataDirectory, "--no-workers"])
        let port = try #require(HTTPProbe.port(in: try await server.waitForOutput(containing: "Strata is serving")))
        server.pauseReadingStandardError()
        // About 500 KB of request lines: several times what the pipe and the early flush hold.
        let requests = 2_000
        let answered = Atomic(0)
        let attempts = Atomic(0)
        // The client's own loop: the suite's other tests keep the shared ones busy, and a client
        // stalled there would look like a server that stopped answering.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = Task {
            while answered.load(ordering: .relaxed) < requests, !Task.isCancelled {
                attempts.add(1, ordering: .relaxed)
                // A request the busy machine lets time out is asked again: a server whose loop
                // waits on the log answers none of them.
                if (try? await HTTPProbe.status(port: port, path: "/graphql?query=%7B__typename%7D", timeout: .seconds(10), on: group)) == 200 {
                    answered.add(1, ordering: .relaxed)
                }
            }
        }
        // A server whose event loop waits on the log would answer a few hundred and then none.
        let deadline = ContinuousClock.now + .seconds(120)
        while answered.load(ordering: .relaxed) < requests, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(answered.load(ordering: .relaxed) == requests, "answered while the log was not read")
        client.cancel()
        server.resumeReadingStandardError()
        _ = await client.result
        try await group.shutdownGracefully()
        server.signal(SIGTERM)
        #expect(try await server.exitStatus() == 0)
        let lines = server.standardError.split(separator: "\n").filter { $0.contains("strata.request:") && $0.contains("type=query") }
        // One line per request the server answered: each answered one, and any whose answer came
        // after the client gave up on it — never more than were sent.
        #expect(lines.count >= requests && lines.count <= attempts.load(ordering: .relaxed),
                "\(lines.count) lines for \(requests) answered of \(attempts.load(ordering: .relaxed)) sent")
    }

    @Test("creates its database, serves /healthz, is reused by a second run, and stops the cluster last")
    func devLifecycle() async throws {
        let dataDirectory = try TestScratch.directory("dev")

        let first = try StrataProcess(["dev", "--port", "0", "--data-dir", dataDirectory])
        let firstLine = try await first.waitForOutput(containing: "Strata is serving")
        #expect(first.standardOutput.contains("migrations/0001_roles.sql"))
        #expect(first.standardOutput.contains("migrations/demo/0001_tenants.sql"))
        let firstPort = try #require(HTTPProbe.port(in: firstLine))
        #expect(try await HTTPProbe.status(port: firstPort, path: "/healthz") == 200)
        let pid = try #require(postmasterPID(dataDirectory))

        let second = try StrataProcess(["dev", "--port", "0", "--data-dir", dataDirectory])
        let secondLine = try await second.waitForOutput(containing: "Strata is serving")
        #expect(second.standardOutput.contains("Database is up to date."))
        #expect(second.standardError.contains("reusing the running embedded PostgreSQL"))
        #expect(postmasterPID(dataDirectory) == pid, "the second run must reuse the cluster")
        let secondPort = try #require(HTTPProbe.port(in: secondLine))
        #expect(try await HTTPProbe.status(port: secondPort, path: "/readyz") == 200)

        // Each request is a line in the text format every other line has: fields sorted by key.
        #expect(try await HTTPProbe.status(port: secondPort, path: "/graphql?query=%7B__typename%7D") == 200)
        var requestLine: Substring?
        for _ in 0..<400 where requestLine == nil {
            requestLine = second.standardError.split(separator: "\n").first { $0.contains("strata.request:") }
            if requestLine == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let line = try #require(requestLine, "\(second.standardError)")
        #expect(line.wholeMatch(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info strata\.request: bytes=\d+ duration_ms=\d+\.\d{3} outcome=ok request_id=\S+ role=anonymous status=200 transport=http type=query request/#) != nil,
                "\(line)")

        first.signal(SIGTERM)
        #expect(try await first.exitStatus() == 0)
        #expect(postmasterPID(dataDirectory) == pid, "the cluster keeps running for the second server")
        #expect(try await HTTPProbe.status(port: secondPort, path: "/readyz") == 200)

        second.signal(SIGINT)
        #expect(try await second.exitStatus() == 0)
        #expect(postmasterPID(dataDirectory) == nil, "the last server out stops the cluster")
    }
}
