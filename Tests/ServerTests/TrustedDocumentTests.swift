import APISchema
import Crypto
import Foundation
import GraphQLTypeSystem
import Hummingbird
import HummingbirdTesting
import SchemaModel
@testable import Server
import Testing
import TestSupport

@Suite("Trusted documents")
struct TrustedDocumentTests {
    static let tasksByPK = try! String(contentsOfFile: ProjectFiles.root + "/queries/bench/tasks_by_pk.graphql", encoding: .utf8)
    static var tasksByPKID: String { SHA256.hash(data: Data(tasksByPK.utf8)).map { String(format: "%02x", $0) }.joined() }

    @Test("documentId, Apollo's persistedQuery hash, both agreeing, neither: what a request names; malformed ones are refused")
    func requestFields() throws {
        let id = String(repeating: "ab", count: 32)
        let byID = try GraphQLRequest.parse(body: Array(#"{"documentId":"sha256:\#(id.uppercased())","variables":{"a":1}}"#.utf8))
        #expect(byID.documentID == id && byID.query.isEmpty)
        let apollo = try GraphQLRequest.parse(body: Array(#"{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"\#(id)"}}}"#.utf8))
        #expect(apollo.documentID == id)
        let twice = try GraphQLRequest.parse(body: Array(#"{"query":"{ a }","operationName":"A","query":"{ b }","operationName":null}"#.utf8))
        #expect(twice.query == "{ b }" && twice.operationName == nil, "a key given twice counts as its last value")
        let get = try GraphQLRequest.parse(parameters: ["documentId": "sha256:\(id)"])
        #expect(get.documentID == id)
        for body in [#"{"documentId":"md5:abc"}"#, #"{"documentId":"sha256:abc"}"#, #"{"documentId":5}"#,
                     #"{"documentId":"sha256:\#(id)","extensions":{"persistedQuery":{"sha256Hash":"\#(String(repeating: "cd", count: 32))"}}}"#,
                     #"{"extensions":{"persistedQuery":{"version":1}}}"#, #"{"variables":{}}"#] {
            #expect(throws: RequestProblem.self, "\(body)") { _ = try GraphQLRequest.parse(body: Array(body.utf8)) }
        }
    }

    @Test("a document's roles: those its comment names must all pass; without one, those it passes, at least one")
    func roles() throws {
        let project = try SchemaProject.load(directory: ProjectFiles.root + "/schema", environment: [:])
        let apis = try RoleSchema.buildAll(project)
        let open = try TrustedDocuments.check("query { tasks { title } }", path: "q/a.graphql", apis: apis, limits: .default).get()
        #expect(open.roles == ["admin", "member"], "anonymous cannot read tasks")
        let named = try TrustedDocuments.check("# roles: member\nquery T { tasks { title } }", path: "q/b.graphql", apis: apis, limits: .default).get()
        #expect(named.roles == ["member"] && named.operations.first?.name == "T")
        guard case .failure(let problems) = TrustedDocuments.check("# roles: anonymous\n{ tasks { title } }", path: "q/c.graphql", apis: apis, limits: .default)
        else { Issue.record("anonymous cannot run it"); return }
        #expect(problems.description.hasPrefix("q/c.graphql:2:3: ") && problems.description.hasSuffix("(as anonymous)"), "\(problems)")
        guard case .failure(let syntax) = TrustedDocuments.check("query {", path: "q/d.graphql", apis: apis, limits: .default)
        else { Issue.record("not GraphQL"); return }
        #expect(syntax.description.hasPrefix("q/d.graphql:1:8: "), "\(syntax)")
    }

    @Test("require: trusted documents run by hash (POST, GET, Apollo's extension, WebSocket) or as their text; any other text is refused unparsed")
    func requireMode() async throws {
        let test = try await GraphQLTestServer.start(trustedDocuments: .require)
        let token = try await GraphQLTestServer.memberToken()
        try await test.serving { client in
            var headers: HTTPFields = [.accept: "application/graphql-response+json", .contentType: "application/json"]
            headers[.authorization] = "Bearer \(token)"
            func post(_ body: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: "/graphql", method: .post, headers: headers, body: ByteBuffer(string: body)) { ($0.status, String(buffer: $0.body)) }
            }
            let variables = #""variables":{"id":"12000000-0000-4000-8000-000000000001"}"#
            let (status, body) = try await post(#"{"documentId":"sha256:\#(Self.tasksByPKID)",\#(variables)}"#)
            #expect(status == .ok && body.contains("Calibrate the gripper"), "\(body)")
            let (apollo, apolloBody) = try await post(#"{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"\#(Self.tasksByPKID)"}},\#(variables)}"#)
            #expect(apollo == .ok && apolloBody.contains("Calibrate the gripper"))
            let text = String(data: try JSONSerialization.data(withJSONObject: ["query": Self.tasksByPK]), encoding: .utf8)!
            let (asText, _) = try await post(String(text.dropLast()) + "," + variables + "}")
            #expect(asText == .ok, "the trusted document's own text is trusted")
            let (other, otherBody) = try await post(#"{"query":"{ tasks { title } }"}"#)
            #expect(other == .badRequest && otherBody.contains("persisted-query-not-found"), "\(otherBody)")
            let (garbage, garbageBody) = try await post(#"{"query":"{ this is not graphql"}"#)
            #expect(garbage == .badRequest && garbageBody.contains("persisted-query-not-found"), "refused before parsing: \(garbageBody)")
            let (unknown, unknownBody) = try await post(#"{"documentId":"sha256:\#(String(repeating: "0", count: 64))"}"#)
            #expect(unknown == .badRequest && unknownBody.contains("No trusted document has the hash"), "\(unknownBody)")
            let query = "/graphql?documentId=sha256:\(Self.tasksByPKID)&variables=%7B%22id%22%3A%2212000000-0000-4000-8000-000000000001%22%7D"
            let (get, getBody) = try await client.execute(uri: query, method: .get, headers: headers) { ($0.status, String(buffer: $0.body)) }
            #expect(get == .ok && getBody.contains("Calibrate the gripper"), "\(getBody)")

            let port = try #require(client.port)
            let socket = try await StreamSubscriptionTests.subscribe(port: port, token: token, payload: #"{"documentId":"sha256:\#(Self.tasksByPKID)",\#(variables)}"#)
            let texts = await SocketMessageRateTests.nextTexts(socket, count: 1)
            #expect(texts.first?.contains("Calibrate the gripper") == true, "\(texts)")
        }
    }

    @Test("off: a hash names nothing; allow: hashes and any text")
    func offAndAllow() async throws {
        let off = try await GraphQLTestServer.start()
        let allow = try await GraphQLTestServer.start(trustedDocuments: .allow)
        let token = try await GraphQLTestServer.memberToken()
        for (server, expectedHash, mode) in [(off, HTTPResponse.Status.badRequest, "off"), (allow, .ok, "allow")] {
            try await server.serving { client in
                var headers: HTTPFields = [.accept: "application/graphql-response+json", .contentType: "application/json"]
                headers[.authorization] = "Bearer \(token)"
                let (byHash, body) = try await client.execute(uri: "/graphql", method: .post, headers: headers, body: ByteBuffer(
                    string: #"{"documentId":"sha256:\#(Self.tasksByPKID)","variables":{"id":"12000000-0000-4000-8000-000000000001"}}"#)) { ($0.status, String(buffer: $0.body)) }
                #expect(byHash == expectedHash, "\(mode): \(body)")
                let (text, _) = try await client.execute(uri: "/graphql", method: .post, headers: headers,
                                                         body: ByteBuffer(string: #"{"query":"{ tasks { title } }"}"#)) { ($0.status, String(buffer: $0.body)) }
                #expect(text == .ok, "\(mode)")
            }
        }
    }
}
