import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
@testable import Server
import Testing

@Suite("W3C trace context")
struct TraceContextTests {
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let header = "00-\(traceID)-00f067aa0ba902b7-01"

    @Test("a valid traceparent is read; malformed, version ff, uppercase and all-zero ids are ignored")
    func parsing() {
        let trace = TraceContext(traceparent: Self.header)
        #expect(trace?.traceID == Self.traceID && trace?.parentID == "00f067aa0ba902b7" && trace?.isSampled == true)
        #expect(TraceContext(traceparent: "00-\(Self.traceID)-00f067aa0ba902b7-00")?.isSampled == false)
        #expect(TraceContext(traceparent: "01-\(Self.traceID)-00f067aa0ba902b7-01-extra")?.traceID == Self.traceID, "a later version may add fields")
        for bad in [nil, "", "00-\(Self.traceID)-00f067aa0ba902b7", "ff-\(Self.traceID)-00f067aa0ba902b7-01",
                    "00-\(Self.traceID.uppercased())-00f067aa0ba902b7-01", "00-\(String(repeating: "0", count: 32))-00f067aa0ba902b7-01",
                    "00-\(Self.traceID)-0000000000000000-01", "00-\(Self.traceID)-00f067aa0ba902b7-01-extra", "00-xyz-00f067aa0ba902b7-01"] as [String?] {
            #expect(TraceContext(traceparent: bad) == nil, "\(String(describing: bad))")
        }
    }

    @Test("a traced request's connection shows the trace id in pg_stat_activity")
    func applicationName() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.serving { client in
            var headers: HTTPFields = [.accept: "application/json", .contentType: "application/json"]
            headers[.authorization] = "Bearer \(token)"
            headers[HTTPField.Name("traceparent")!] = Self.header
            let status = try await client.execute(uri: "/graphql", method: .post, headers: headers,
                                                  body: ByteBuffer(string: #"{"query":"{ tasks { title } }"}"#)) { $0.status }
            #expect(status == .ok)
            let names = try await test.database.rows("SELECT application_name FROM pg_stat_activity WHERE usename = 'strata_authenticator'")
            #expect(names.contains(["strata trace=\(Self.traceID)"]), "\(names)")

            // Over WebSocket: the upgrade request's trace is every operation's.
            let other = "0af7651916cd43dd8448eb211c80319c"
            let port = try #require(client.port)
            let (socket, _) = try await SocketCapTests.Client.open(port: port, traceparent: "00-\(other)-b7ad6b7169203331-01", timeout: 1)
            socket.sendText(#"{"type":"connection_init","payload":{"Authorization":"Bearer \#(token)"}}"#)
            _ = await SocketMessageRateTests.nextTexts(socket, count: 1, within: 90)
            socket.sendText(#"{"id":"q","type":"subscribe","payload":{"query":"{ projects { name } }"}}"#)
            let texts = await SocketMessageRateTests.nextTexts(socket, count: 1)
            #expect(texts.first?.contains("next") == true, "\(texts)")
            let after = try await test.database.rows("SELECT application_name FROM pg_stat_activity WHERE usename = 'strata_authenticator'")
            #expect(after.contains(["strata trace=\(other)"]), "\(after)")
        }
    }
}
