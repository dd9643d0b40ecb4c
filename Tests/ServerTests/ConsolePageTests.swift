import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The GraphiQL page browsers get from `GET /graphql` when the console is on.
@Suite("The GraphiQL console")
struct ConsolePageTests {
    static let browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    @Test("a browser's GET gets GraphiQL with pinned, integrity-checked assets, a token field and a WebSocket fetcher; its script is the one the policy allows")
    func page() async throws {
        let test = try await GraphQLTestServer.start(console: true)
        try await test.server.test { client in
            try await client.execute(uri: "/graphql", method: .get, headers: [.accept: Self.browserAccept]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: response.body)
                for asset in ["graphiql@3.8.3/graphiql.min.js", "graphiql@3.8.3/graphiql.min.css", "react@18.2.0/umd/react.production.min.js",
                              "react-dom@18.2.0/umd/react-dom.production.min.js"] {
                    #expect(html.contains("https://unpkg.com/\(asset)\" integrity=\"sha384-"), "\(asset) pinned with its digest")
                }
                #expect(html.contains(#"<input id="token" type="password""#))
                #expect(html.contains("localStorage.setItem('strata.token'"), "the token is kept in the browser")
                #expect(html.contains("new WebSocket(socketURL, 'graphql-transport-ws')"), "subscriptions over graphql-transport-ws")
                // The page's one inline script is allowed by its hash, and only it.
                let policy = try #require(response.headers[.contentSecurityPolicy])
                let start = try #require(html.range(of: "<script>")), end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
                let digest = Data(SHA256.hash(data: Data(html[start.upperBound..<end.lowerBound].utf8))).base64EncodedString()
                #expect(policy.contains("script-src https://unpkg.com 'sha256-\(digest)'"), "\(policy)")
                #expect(policy.contains("frame-ancestors 'none'") && policy.contains("connect-src 'self' ws: wss:"))
            }
            // A GET carrying an operation is answered as GraphQL, whatever the browser accepts.
            try await client.execute(uri: "/graphql?query=%7B__typename%7D", method: .get, headers: [.accept: Self.browserAccept]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"data":{"__typename":"query_root"}}"#)
            }
        }
        await test.pool.shutdown()
    }

    @Test("with the console off (strata serve's default) a browser gets no page")
    func off() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            try await client.execute(uri: "/graphql", method: .get, headers: [.accept: Self.browserAccept]) { response in
                #expect(response.headers[.contentType] != "text/html; charset=utf-8")
                #expect(!String(buffer: response.body).contains("graphiql"))
            }
        }
        await test.pool.shutdown()
    }
}
