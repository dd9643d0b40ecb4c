import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

@Suite("A client hanging up")
struct CancellationTests {
    /// A computed field made slow on purpose keeps the statement running (half a minute per
    /// row, past the test server's one-minute statement timeout); the client hangs up once it
    /// runs, and the statement must stop on the server soon after. The waits are generous: a
    /// loaded machine may take seconds to get the statement going.
    @Test("cancels the request's statement on the server")
    func disconnectCancels() async throws {
        let test = try await GraphQLTestServer.start()
        _ = try await test.database.rows("""
            CREATE OR REPLACE FUNCTION public.task_is_overdue(task public.tasks) RETURNS boolean
                LANGUAGE sql STABLE AS $$ SELECT pg_sleep(30) IS NOT NULL $$
            """)
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let port = try #require(client.port)
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-s", "--max-time", "120", "-X", "POST", "http://127.0.0.1:\(port)/graphql", "-H", "Content-Type: application/json",
                              "-H", "Authorization: Bearer \(token)", "-d", #"{"query":"{ tasks { is_overdue } }"}"#]
            try curl.run()
            var started = false
            for _ in 0..<300 where !started {
                try await Task.sleep(for: .milliseconds(100))
                started = try await Self.slowStatementRuns(test.database)
            }
            #expect(started, "the slow statement should be running while the client waits")
            // The client hangs up. (SIGKILL: a test process that ignores SIGTERM passes that on.)
            kill(curl.processIdentifier, SIGKILL)
            _ = await curl.exited()
            var running = true
            let stopped = ContinuousClock.now
            for _ in 0..<200 where running {
                try await Task.sleep(for: .milliseconds(100))
                running = try await Self.slowStatementRuns(test.database)
            }
            #expect(!running, "the statement kept running after the client left")
            #expect(ContinuousClock.now - stopped < .seconds(25), "stopped by the cancel, not by the statement timeout")
        }
        await test.pool.shutdown()
    }

    /// Watching for a hang-up costs nothing: the connection sees its own close, so two requests
    /// share one kept-alive connection.
    @Test("consecutive requests keep their connection alive")
    func keepAlive() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let port = try #require(client.port)
            let request = ["-s", "-o", "/dev/null", "-w", "%{http_code}:%{num_connects} ", "-X", "POST", "http://127.0.0.1:\(port)/graphql",
                           "-H", "Content-Type: application/json", "-H", "Authorization: Bearer \(token)", "-d", #"{"query":"{ tasks { title } }"}"#]
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = request + ["--next"] + request
            let output = Pipe()
            curl.standardOutput = output
            try curl.run()
            _ = await curl.exited()
            let written = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(written == "200:1 200:0 ", "the second request should reuse the first one's connection")
        }
        await test.pool.shutdown()
    }

    static func slowStatementRuns(_ database: TestDatabase) async throws -> Bool {
        let active = try await database.rows("""
            SELECT count(*)::text FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%task_is_overdue%' AND pid <> pg_backend_pid()
            """)
        return active.first?.first == "1"
    }

    /// A mutation whose second field is slow runs past the request deadline: the whole request
    /// is stopped and rolled back, and the client is told why, long before the statement
    /// timeout (a minute here) would have ended it.
    @Test("a request past its deadline is stopped and rolled back with request-timeout")
    func requestDeadline() async throws {
        let test = try await GraphQLTestServer.start(requestTimeout: .seconds(1))
        _ = try await test.database.rows("""
            CREATE OR REPLACE FUNCTION public.task_is_overdue(task public.tasks) RETURNS boolean
                LANGUAGE sql STABLE AS $$ SELECT pg_sleep(30) IS NOT NULL $$
            """)
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let query = #"mutation { insert_comments_one(object: {task_id: \"12000000-0000-4000-8000-000000000001\", body: \"deadline\"}) { id } slow: update_tasks(where: {}, _set: {title: \"renamed\"}) { returning { is_overdue } } }"#
            let started = ContinuousClock.now
            let (status, body) = try await client.execute(uri: "/graphql", method: .post,
                                                          headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
                                                          body: ByteBuffer(string: #"{"query":"\#(query)"}"#)) { ($0.status, String(buffer: $0.body)) }
            // Far sooner than the 30 s the statement would sleep, even on a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(20))
            #expect(status == .ok)
            #expect(body.contains(#""code":"request-timeout""#), "\(body)")
            #expect(body.contains(#""data":null"#))
        }
        let kept = try await test.database.rows("SELECT count(*)::text FROM public.comments WHERE body = 'deadline'")
        #expect(kept == [["0"]], "nothing the stopped request wrote was kept")
        await test.pool.shutdown()
    }
}
