import Foundation
import Testing
import TestSupport

/// Request spans exported over OTLP to a stand-in collector (scripts/lib/otlp-receiver.py, which
/// decodes them with OpenTelemetry's own protocol messages).
@Suite("Traces of strata dev exported over OTLP")
struct TracingTests {
    struct Span: Decodable {
        var trace_id: String
        var span_id: String
        var parent_span_id: String
        var name: String
        var kind: String
        var start: UInt64
        var end: UInt64
        var attributes: [String: AttributeValue]
        var service: String?
    }

    enum AttributeValue: Decodable, Equatable {
        case text(String), number(Int), other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .text(text) }
            else if let number = try? container.decode(Int.self) { self = .number(number) }
            else { self = .other }
        }
    }

    struct Sent: Decodable {
        var trace_id: String?
        var parent_id: String?
        var status: Int?
        var request_id: String?
    }

    @Test("each request is a trace under the caller's traceparent: parse, validate, plan, database and serialize spans; cached stages are not repeated; an unsampled caller gets none; no variable value is exported")
    func export() async throws {
        let (pythonStatus, pythonOutput) = try await ScriptRun.run(ProjectFiles.root + "/scripts/lib/python-gql", directory: ProjectFiles.root)
        try #require(pythonStatus == 0, "the Python client could not be installed: \(pythonOutput)")
        let python = pythonOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let receiver = try StrataProcess([ProjectFiles.root + "/scripts/lib/otlp-receiver.py"], executable: python)
        defer { receiver.signal(SIGKILL) }
        let listening = try await receiver.waitForOutput(containing: "listening on")
        let receiverPort = try #require(listening.split(separator: " ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })

        let dataDirectory = try TestScratch.directory("tracing-dev")
        let server = try StrataProcess(["dev", "--port", "0", "--data-dir", dataDirectory],
                                       environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(receiverPort)",
                                                     "OTEL_BSP_SCHEDULE_DELAY": "100"])
        let port = try #require(HTTPProbe.port(in: try await server.waitForOutput(containing: "Strata is serving")))
        let token = try await StrataProcess.run(["token", "--data-dir", dataDirectory, "--role", "member",
                                                 "--tenant", DemoTenants.acme, "--user", "10000000-0000-4000-8000-000000000002"])
        try #require(token.status == 0, "\(token.stderr)")
        let (status, output) = try await ScriptRun.run(python, [ProjectFiles.root + "/scripts/lib/trace-requests.py",
                                                                "http://127.0.0.1:\(port)/graphql",
                                                                token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        try #require(status == 0, "\(output)")
        let sent = try JSONDecoder().decode([String: Sent].self, from: Data(output.utf8))
        // The WebSocket query was the last one sent: once its root span is in, every span is.
        _ = try await receiver.waitForOutput(containing: "graphql query OverSocket", timeout: .seconds(60))
        server.signal(SIGTERM)
        #expect(try await server.exitStatus() == 0)

        let spans = try receiver.standardOutput.split(separator: "\n").filter { $0.hasPrefix("{") }
            .map { try JSONDecoder().decode(Span.self, from: Data($0.utf8)) }
        func trace(_ name: String) throws -> (root: Span, children: [Span]) {
            let request = try #require(sent[name])
            let inTrace = spans.filter { $0.trace_id == request.trace_id }
            let root = try #require(inTrace.first { $0.parent_span_id == request.parent_id }, "\(name): no root span under the caller's parent")
            let children = inTrace.filter { $0.parent_span_id == root.span_id }.sorted { $0.start < $1.start }
            #expect(inTrace.count == children.count + 1, "\(name): every other span is a child of the request's root")
            for child in children {
                #expect(child.start >= root.start && child.end <= root.end, "\(name): \(child.name) lies within the request")
            }
            return (root, children)
        }

        let first = try trace("first")
        #expect(first.root.name == "POST /graphql" && first.root.kind == "SERVER")
        #expect(first.root.service == "strata")
        #expect(first.root.attributes["graphql.operation.type"] == .text("query"))
        #expect(first.root.attributes["graphql.operation.name"] == .text("Titles"))
        #expect(first.root.attributes["strata.role"] == .text("member"))
        #expect(first.root.attributes["strata.tenant"] == .text(DemoTenants.acme))
        #expect(first.root.attributes["http.response.status_code"] == .number(200))
        #expect(first.root.attributes["strata.request_id"] == sent["first"]?.request_id.map { .text($0) }, "the id echoed in X-Request-Id")
        #expect(first.children.map(\.name) == ["graphql.parse", "graphql.validate", "graphql.plan", "database", "serialize"])
        let database = try #require(first.children.first { $0.name == "database" })
        #expect(database.kind == "CLIENT" && database.attributes["db.system.name"] == .text("postgresql"))
        if case .text(let fingerprint) = database.attributes["strata.fingerprint"] {
            #expect(fingerprint.hasPrefix("strata_"), "the statement's name, never its text")
        } else {
            Issue.record("the database span names its statement")
        }

        let again = try trace("again")
        #expect(again.children.map(\.name) == ["database", "serialize"], "the document and plan came from the caches")

        #expect(!spans.contains { $0.trace_id == sent["unsampled"]?.trace_id }, "the caller did not sample its trace")

        let untraced = spans.filter { $0.parent_span_id.isEmpty }
        #expect(untraced.count == 1, "only the request without a traceparent starts a trace of its own")
        #expect(untraced.first?.attributes["strata.request_id"] == sent["untraced"]?.request_id.map { .text($0) })

        let socket = try trace("socket")
        #expect(socket.root.name == "graphql query OverSocket")
        #expect(socket.root.attributes["strata.transport"] == .text("websocket"))
        #expect(socket.children.map(\.name) == ["graphql.parse", "graphql.validate", "graphql.plan", "database", "serialize"])

        _ = try trace("variables")
        #expect(!receiver.standardOutput.contains("variable-value-never-traced"), "no variable value is exported")
        #expect(server.standardError.contains("exporting request spans over OTLP") || server.standardOutput.contains("exporting request spans over OTLP"))
    }
}
