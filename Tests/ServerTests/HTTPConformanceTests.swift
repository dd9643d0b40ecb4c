import Foundation
import GraphQLTypeSystem
import Hummingbird
import HummingbirdTesting
import Testing

/// The GraphQL-over-HTTP points clients trip on, over a real socket: form-encoded GET
/// parameters, JSON parameters in GET, mutations over GET, wildcard and missing `Accept`,
/// and `extensions` that are not maps.
@Suite("GraphQL over HTTP, on a socket")
struct HTTPConformanceTests {
    static let graphQLResponse = "application/graphql-response+json"

    func get(_ client: LiveClient, _ query: String, accept: String? = graphQLResponse,
             token: String? = nil) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        var headers: HTTPFields = [:]
        if let accept { headers[.accept] = accept }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/graphql?" + query, method: .get, headers: headers) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    /// Form encoding as `URLSearchParams` writes it: spaces as `+`, everything but
    /// letters, digits and `*-._` as `%XX`.
    static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { name, value in
            name + "=" + value.utf8.map { byte -> String in
                switch byte {
                case UInt8(ascii: " "): "+"
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                    String(UnicodeScalar(byte))
                default:
                    "%" + String(byte, radix: 16, uppercase: true).leftPadded
                }
            }.joined()
        }.joined(separator: "&")
    }

    @Test("GET parameters are form-encoded: '+' is a space, as URLSearchParams writes them")
    func plusIsSpace() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            let (status, body, _) = try await get(client, "query=%7B+__typename+%7D")
            #expect(status == .ok)
            #expect(body == #"{"data":{"__typename":"query_root"}}"#)
            let (formed, formedBody, _) = try await get(client, Self.form([("query", "query Q { __typename }"), ("operationName", "Q")]))
            #expect(formed == .ok)
            #expect(formedBody == #"{"data":{"__typename":"query_root"}}"#)
            let (broken, brokenBody, _) = try await get(client, "query=%7G")
            #expect(broken == .badRequest)
            #expect(brokenBody.contains("form encoding"))
        }
        await test.pool.shutdown()
    }

    @Test("variables and extensions as URL-encoded JSON in GET, under both response types")
    func jsonParameters() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let query = Self.form([("query", "query Q($s: String!) { tasks(where: {status: {_eq: $s}}) { title } }"),
                                   ("variables", #"{"s":"todo"}"#),
                                   ("extensions", #"{"persistedQuery":null}"#)])
            for accept in [Self.graphQLResponse, "application/json"] {
                let (status, body, headers) = try await get(client, query, accept: accept, token: token)
                #expect(status == .ok)
                #expect(headers[.contentType] == accept)
                #expect(body == #"{"data":{"tasks" : [{"title" : "Write the safety checklist"}]}}"#)
            }
            let (bad, _, _) = try await get(client, "query=%7B__typename%7D&variables=%7Bnot", token: token)
            #expect(bad == .badRequest)
        }
        await test.pool.shutdown()
    }

    @Test("a mutation over GET is 405 Method Not Allowed with Allow: POST, also when form-encoded")
    func mutationOverGet() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            for accept in [Self.graphQLResponse, "application/json"] {
                let (status, body, headers) = try await get(client, Self.form([("query", "mutation { delete_comments(where: {}) { affected_rows } }")]),
                                                            accept: accept, token: token)
                #expect(status == .methodNotAllowed)
                #expect(headers[.allow] == "POST")
                #expect(body.contains("POST"))
            }
        }
        await test.pool.shutdown()
    }

    @Test("Accept */*, application/*, or none at all answers application/json; graphql-response+json when asked for")
    func acceptWildcards() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            for accept: String? in ["*/*", "application/*", nil, "text/html, */*;q=0.8"] {
                let (status, _, headers) = try await get(client, "query=%7B__typename%7D", accept: accept)
                #expect(status == .ok)
                #expect(headers[.contentType] == "application/json", "Accept: \(accept ?? "none")")
            }
            for accept in ["application/graphql-response+json", "*/*, application/graphql-response+json",
                           "application/json;q=0.5, application/graphql-response+json"] {
                let (_, _, headers) = try await get(client, "query=%7B__typename%7D", accept: accept)
                #expect(headers[.contentType] == Self.graphQLResponse, "Accept: \(accept)")
            }
        }
        await test.pool.shutdown()
    }

    @Test("extensions that are not an object are a 400, in POST and in GET; an object or null is fine")
    func extensionsMustBeMaps() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            let headers: HTTPFields = [.accept: Self.graphQLResponse, .contentType: "application/json"]
            for extensions in [#""x""#, "1", "true", "[]"] {
                let body = #"{"query":"{ __typename }","extensions":"# + extensions + "}"
                let status = try await client.execute(uri: "/graphql", method: .post, headers: headers,
                                                      body: ByteBuffer(string: body)) { $0.status }
                #expect(status == .badRequest, "extensions: \(extensions)")
                let (getStatus, _, _) = try await get(client, Self.form([("query", "{ __typename }"), ("extensions", extensions)]))
                #expect(getStatus == .badRequest, "GET extensions: \(extensions)")
            }
            for extensions in ["{}", "null", #"{"tracing":true}"#] {
                let body = #"{"query":"{ __typename }","extensions":"# + extensions + "}"
                let status = try await client.execute(uri: "/graphql", method: .post, headers: headers,
                                                      body: ByteBuffer(string: body)) { $0.status }
                #expect(status == .ok, "extensions: \(extensions)")
            }
        }
        await test.pool.shutdown()
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
