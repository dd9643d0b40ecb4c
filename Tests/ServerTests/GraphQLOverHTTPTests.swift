import Foundation
import GraphQLTypeSystem
import Hummingbird
import HummingbirdTesting
import Testing

/// The status codes and bodies the GraphQL-over-HTTP specification asks for.
@Suite("GraphQL over HTTP")
struct GraphQLOverHTTPTests {
    static let graphQLResponse = "application/graphql-response+json"

    func post(_ client: LiveClient, _ body: String, accept: String = graphQLResponse, contentType: String = "application/json",
              token: String? = nil) async throws -> (HTTPResponse.Status, String, String?) {
        var headers: HTTPFields = [.accept: accept, .contentType: contentType]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/graphql", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            (response.status, String(buffer: response.body), response.headers[.contentType])
        }
    }

    @Test("a query answers 200 with the data PostgreSQL built, under the member's tenant and permissions")
    func query() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let (status, body, type) = try await post(client, #"{"query":"query Q($s: String) { tasks(where: {status: {_eq: $s}}) { title } wallets { currency } }","variables":{"s":"todo"}}"#, token: token)
            #expect(status == .ok)
            #expect(type == Self.graphQLResponse)
            #expect(body == #"{"data":{"tasks" : [{"title" : "Write the safety checklist"}], "wallets" : [{"currency" : "USD"}]}}"#)
        }
        await test.pool.shutdown()
    }

    @Test("parse, validation and variable errors: 400 under graphql-response+json, 200 under application/json")
    func requestErrors() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            for body in [#"{"query":"{ tasks { title }"}"#, #"{"query":"{ tasks { secret } }"}"#,
                         #"{"query":"query Q($n: Int!) { tasks(limit: $n) { title } }","variables":{"n":"many"}}"#] {
                let (strict, strictBody, _) = try await post(client, body, token: token)
                #expect(strict == .badRequest, "\(body)")
                #expect(strictBody.hasPrefix(#"{"errors":[{"message":"#))
                #expect(strictBody.contains(#""locations":[{"line":1"#))
                let (legacy, _, type) = try await post(client, body, accept: "application/json", token: token)
                #expect(legacy == .ok)
                #expect(type == "application/json")
            }
        }
        await test.pool.shutdown()
    }

    @Test("malformed JSON 400, a missing query 400, an unsupported media type 415, an unacceptable Accept 406, a large body 413")
    func malformedRequests() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            let result1 = try await post(client, #"{"query": "#)
            #expect(result1.0 == .badRequest)
            let result2 = try await post(client, #"{"variables": {}}"#)
            #expect(result2.0 == .badRequest)
            let result3 = try await post(client, #"{"query":"{ __typename }"}"#, contentType: "text/plain")
            #expect(result3.0 == .unsupportedMediaType)
            let result4 = try await post(client, #"{"query":"{ __typename }"}"#, accept: "text/html")
            #expect(result4.0 == .notAcceptable)
            let huge = #"{"query":"{ __typename }","variables":{"x":""# + String(repeating: "a", count: 70_000) + #""}}"#
            let result5 = try await post(client, huge)
            #expect(result5.0 == .contentTooLarge)
        }
        await test.pool.shutdown()
    }

    @Test("GET runs queries from URL parameters, refuses mutations with 405, and picks the operation by name")
    func getRequests() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let headers: HTTPFields = [.accept: Self.graphQLResponse, .authorization: "Bearer \(token)"]
            let query = "query A { __typename } query B { projects { name } }"
            let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await client.execute(uri: "/graphql?query=\(encoded)&operationName=B", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"data":{"projects" : [{"name" : "Warehouse robots"}]}}"#)
            }
            let mutation = "mutation { update_tasks(where: {}, _set: {title: \"x\"}) { affected_rows } }"
                .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await client.execute(uri: "/graphql?query=\(mutation)", method: .get, headers: headers) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
        }
        await test.pool.shutdown()
    }

    @Test("no token acts as the anonymous role; a bad, expired or foreign-signed token is a 401 with a GraphQL error")
    func authentication() async throws {
        let test = try await GraphQLTestServer.start()
        let now = Int(Date().timeIntervalSince1970)
        let expired = try await GraphQLTestServer.memberToken(expiresIn: -3600)
        let forged = try await GraphQLTestServer.token([("role", .string("admin")), ("tenant_id", .string(GraphQLTestServer.acme))],
                                                       secret: String(repeating: "x", count: 40))
        let expiry: (String, JSONValue) = ("exp", .number(String(now + 7200)))
        let future = try await GraphQLTestServer.token([("role", .string("member")), ("nbf", .number(String(now + 3600))), expiry])
        let unknownRole = try await GraphQLTestServer.token([("role", .string("root")), expiry])
        try await test.server.test { client in
            let (status, body, _) = try await post(client, #"{"query":"{ projects { name } }"}"#)
            #expect(status == .ok)
            #expect(body == #"{"data":{"projects" : []}}"#)
            let (introspection, introspectionBody, _) = try await post(client, #"{"query":"{ __schema { queryType { name } } }"}"#)
            #expect(introspection == .badRequest)
            #expect(introspectionBody.contains("introspection-disabled"))
            for (token, message) in [("not.a.token", "algorithm"), (expired, "expired"), (forged, "signature"),
                                     (future, "not valid yet"), (unknownRole, "role 'root'")] {
                let (status, body, _) = try await post(client, #"{"query":"{ __typename }"}"#, token: token)
                #expect(status == .unauthorized, "\(message)")
                #expect(body.hasPrefix(#"{"errors":[{"message":"#) && body.contains(message), "\(body)")
            }
        }
        await test.pool.shutdown()
    }

    @Test("issuer and audience are checked when the project names them; HS512 is accepted when configured")
    func issuerAudience() async throws {
        let test = try await GraphQLTestServer.start { auth in
            auth.algorithms = ["HS512"]
            auth.secret = String(repeating: "k", count: 64)
            auth.issuer = "https://issuer.test"
            auth.audience = "strata"
        }
        let secret = String(repeating: "k", count: 64)
        let base: [(String, JSONValue)] = [("role", .string("member")), ("tenant_id", .string(GraphQLTestServer.acme)),
                                           ("sub", .string(GraphQLTestServer.alan)),
                                           ("exp", .number(String(Int(Date().timeIntervalSince1970) + 600)))]
        let good = try await GraphQLTestServer.token(base + [("iss", .string("https://issuer.test")), ("aud", .array([.string("strata")]))],
                                                     secret: secret, digest: .sha512)
        let wrongIssuer = try await GraphQLTestServer.token(base + [("iss", .string("https://other.test")), ("aud", .string("strata"))],
                                                            secret: secret, digest: .sha512)
        let wrongAudience = try await GraphQLTestServer.token(base + [("iss", .string("https://issuer.test")), ("aud", .string("else"))],
                                                              secret: secret, digest: .sha512)
        let hs256 = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let result6 = try await post(client, #"{"query":"{ projects { name } }"}"#, token: good)
            #expect(result6.1 == #"{"data":{"projects" : [{"name" : "Warehouse robots"}]}}"#)
            let result7 = try await post(client, #"{"query":"{ __typename }"}"#, token: wrongIssuer)
            #expect(result7.0 == .unauthorized)
            let result8 = try await post(client, #"{"query":"{ __typename }"}"#, token: wrongAudience)
            #expect(result8.0 == .unauthorized)
            let result9 = try await post(client, #"{"query":"{ __typename }"}"#, token: hs256)
            #expect(result9.0 == .unauthorized)
        }
        await test.pool.shutdown()
    }

    @Test("a role's field and depth limits from the YAML are validation errors")
    func roleLimits() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            // The demo's anonymous role may select 200 fields per operation.
            let wide = (0..<200).map { "f\($0): name" }.joined(separator: " ")
            let (status, body, _) = try await post(client, "{\"query\":\"{ projects { \(wide) } }\"}")
            #expect(status == .badRequest)
            #expect(body.contains("selects 201 fields, counting each fragment where it is spread; the limit is 200."), "\(body)")
            let (fits, _, _) = try await post(client, "{\"query\":\"{ projects { \((0..<199).map { "f\($0): name" }.joined(separator: " ")) } }\"}")
            #expect(fits == .ok)
        }
        await test.pool.shutdown()
    }

    @Test("a database error is a generic GraphQL error with a code; no SQL reaches the client")
    func databaseErrors() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let (status, body, _) = try await post(client, #"{"query":"{ tasks(where: {id: {_eq: \"not-a-uuid\"}}) { title } }"}"#, token: token)
            #expect(status == .ok)
            #expect(body.contains(#""code":"data-exception""#))
            #expect(body.contains(#""data":null"#))
            #expect(!body.contains("SELECT") && !body.contains("pg_catalog"))
            let (nul, nulBody, _) = try await post(client, #"{"query":"{ tasks(where: {title: {_eq: \"a\u0000b\"}}) { title } }"}"#, token: token)
            #expect(nul == .ok)
            #expect(nulBody.contains(#""data":null"#) && !nulBody.contains("SELECT"))
        }
        await test.pool.shutdown()
    }
}
