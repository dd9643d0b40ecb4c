import Foundation
@testable import Server
import Testing

/// The WebSocket opening handshake on `/graphql`, over a real socket.
@Suite("WebSocket handshake")
struct SocketHandshakeTests {
    @Test("the accept value is RFC 6455's for its sample key")
    func acceptValue() {
        #expect(SocketHandshake.acceptValue(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test("101 with the accept value and the chosen subprotocol; 426 for another version; 400 without a key")
    func handshake() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            let port = try #require(client.port)
            let upgrade = "GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"

            let accepted = try RawConnection(port: port)
            accepted.send(upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                          + "Sec-WebSocket-Protocol: graphql-ws, graphql-transport-ws\r\n\r\n")
            let head = await accepted.read()
            #expect(head.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"), "\(head)")
            #expect(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
            #expect(head.contains("Sec-WebSocket-Protocol: graphql-transport-ws\r\n"))
            #expect(!head.contains("Content-Length"), "no Content-Length on a 1xx response")

            let oldVersion = try RawConnection(port: port)
            oldVersion.send(upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\nConnection: close\r\n\r\n")
            let refused = await oldVersion.readToEnd()
            #expect(refused.hasPrefix("HTTP/1.1 426 Upgrade Required"), "\(refused)")
            #expect(refused.contains("Sec-WebSocket-Version: 13"))

            let noKey = try RawConnection(port: port)
            noKey.send(upgrade + "Sec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n")
            #expect(await noKey.readToEnd().hasPrefix("HTTP/1.1 400 Bad Request"))

            // The HTTP side goes on serving.
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
        await test.pool.shutdown()
    }
}
