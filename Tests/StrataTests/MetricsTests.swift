import Foundation
import Testing
import TestSupport

@Suite("Metrics and request logs of strata dev")
struct MetricsTests {
    /// `strata dev` with `/metrics` on a port of its own and JSON logs: a few requests over HTTP
    /// and a live query over WebSocket, then a scrape read by prometheus-client's parser.
    @Test("/metrics parses with prometheus-client and counts what the requests did; JSON log lines carry request ids and never a token")
    func scrape() async throws {
        let (pythonStatus, python) = try await ScriptRun.run(ProjectFiles.root + "/scripts/lib/python-gql", directory: ProjectFiles.root)
        try #require(pythonStatus == 0, "the Python client could not be installed: \(python)")
        let dataDirectory = try TestScratch.directory("metrics-dev")
        let server = try StrataProcess(["dev", "--port", "0", "--metrics-port", "0", "--log-format", "json", "--data-dir", dataDirectory])
        let port = try #require(HTTPProbe.port(in: try await server.waitForOutput(containing: "Strata is serving")))
        let metricsPort = try #require(HTTPProbe.port(in: try await server.waitForOutput(containing: "Metrics: ")))
        let token = try await StrataProcess.run(["token", "--data-dir", dataDirectory, "--role", "member",
                                                 "--tenant", DemoTenants.acme, "--user", "10000000-0000-4000-8000-000000000002"])
        try #require(token.status == 0, "\(token.stderr)")
        let bearer = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (status, output) = try await ScriptRun.run(python.trimmingCharacters(in: .whitespacesAndNewlines),
                                                       [ProjectFiles.root + "/scripts/lib/metrics-check.py", "http://127.0.0.1:\(port)/graphql",
                                                        "http://127.0.0.1:\(metricsPort)/metrics", bearer])
        let mainPortMetrics = try await HTTPProbe.status(port: port, path: "/metrics")
        server.signal(SIGTERM)
        #expect(try await server.exitStatus() == 0)
        try #require(status == 0, "\(output)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(mainPortMetrics == 404, "with a metrics port of its own, the main port serves no /metrics")
        #expect(report["parsed"] as? Bool == true)
        #expect((report["content_type"] as? String)?.hasPrefix("text/plain; version=0.0.4") == true)
        let samples = try #require(report["samples"] as? [String: Double])
        func value(_ key: String) -> Double { samples[key] ?? -1 }
        #expect(value("strata_requests_total{operation=query,outcome=ok,transport=http}") == 4, "three queries and the one with its own id")
        #expect(value("strata_requests_total{operation=unknown,outcome=request_error,transport=http}") == 1, "the invalid document")
        #expect(value("strata_requests_total{operation=unknown,outcome=unauthorized,transport=http}") == 1, "the bad token")
        #expect(value("strata_requests_total{operation=subscription,outcome=ok,transport=websocket}") == 1)
        #expect(value("strata_request_duration_seconds_count{operation=query,transport=http}") == 4)
        #expect(value("strata_database_duration_seconds_count{operation=query}") >= 4)
        #expect(value("strata_cache_lookups_total{cache=document,result=hit}") == 2, "the second and third of the same query")
        #expect(value("strata_cache_lookups_total{cache=plan,result=miss}") >= 1)
        #expect(value("strata_websocket_connections{role=member}") == 1)
        #expect(value("strata_websocket_connections{role=admin}") == 0, "every role served is shown, at zero")
        #expect(value("strata_subscriptions{kind=live,role=member}") == 1)
        #expect(value("strata_pool_waiting_requests{}") == 0)
        #expect(value("strata_pool_connections{state=idle}") + value("strata_pool_connections{state=busy}") >= 1)
        #expect(value("strata_pool_circuit_breaker_open{}") == 0)
        #expect(value("strata_event_deliveries{state=dead}") == 0)
        #expect(value("strata_websocket_messages_sent_total{}") >= 2, "the ack and the first result")
        let types = try #require(report["types"] as? [String: String])
        #expect(types["strata_requests"] == "counter" && types["strata_request_duration_seconds"] == "histogram"
                && types["strata_pool_connections"] == "gauge", "\(types)")
        #expect(!samples.keys.contains { $0.contains("tenant=") || $0.contains("user=") }, "no label per tenant or user")

        // Request ids: the client's is echoed, else one is made; each request logs one JSON line.
        let ids = try #require(report["request_ids"] as? [String: String])
        #expect(ids["given"] == "checkout-42")
        #expect(ids["generated"]?.count == 32)
        let lines = server.standardError.split(separator: "\n").compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
        #expect(!lines.isEmpty && lines.count == server.standardError.split(separator: "\n").count, "every log line is a JSON object")
        let given = try #require(lines.first { $0["request_id"] as? String == "checkout-42" })
        #expect(given["message"] as? String == "request" && given["level"] as? String == "info")
        #expect(given["role"] as? String == "member" && given["tenant"] as? String == DemoTenants.acme)
        #expect(given["type"] as? String == "query" && given["status"] as? Int == 200 && given["outcome"] as? String == "ok")
        #expect(given["duration_ms"] is Double && given["bytes"] is Int, "numbers as JSON numbers")
        let named = lines.filter { $0["operation"] as? String == "Titles" }
        #expect(named.count == 3, "the operation's name is logged")
        #expect(!server.standardError.contains(bearer) && !server.standardError.contains("nonsense"), "no token is ever logged")
        #expect(!server.standardError.contains("exporting request spans"), "without an OTLP endpoint nothing is traced")
    }
}
