import Foundation
import NIOCore
@testable import Server
import Testing

/// One tenant may hold only so many WebSocket connections: past the cap a token sent with the
/// upgrade gets 429 with Retry-After, one sent in `connection_init` a close with 1013; a closed
/// connection frees its place.
@Suite("WebSocket connections per tenant")
struct SocketCapTests {
    /// A WebSocket client speaking raw frames over `RawConnection`.
    struct Client {
        let connection: RawConnection

        static func open(port: Int, authorization: String? = nil, traceparent: String? = nil, timeout: Int = 20) async throws -> (Client, String) {
            let connection = try RawConnection(port: port, timeout: timeout)
            connection.send("GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                            + "Sec-WebSocket-Protocol: graphql-transport-ws\r\n" + (authorization.map { "Authorization: \($0)\r\n" } ?? "")
                            + (traceparent.map { "traceparent: \($0)\r\n" } ?? "") + "\r\n")
            // The whole head, however slow a loaded machine is to send it: a head split over two
            // reads would leave the rest to be read as frames, and the first frame lost with it.
            return (Client(connection: connection), await connection.readHead(within: max(timeout, 60)))
        }

        func sendText(_ text: String) {
            let mask: [UInt8] = [1, 2, 3, 4]
            let payload = Array(text.utf8)
            var frame: [UInt8] = [0x81]
            if payload.count < 126 {
                frame.append(0x80 | UInt8(payload.count))
            } else {
                frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
            }
            frame += mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
            connection.send(bytes: frame)
        }

        /// The next frame from the server: its opcode and payload.
        func frame() async -> (opcode: UInt8, payload: [UInt8])? {
            let bytes = await connection.readBytes()
            guard bytes.count >= 2 else { return nil }
            var length = Int(bytes[1] & 0x7f), start = 2
            if length == 126 { length = Int(bytes[2]) << 8 | Int(bytes[3]); start = 4 }
            guard bytes.count >= start + length else { return nil }
            return (bytes[0] & 0x0f, Array(bytes[start..<start + length]))
        }
    }

    @Test("with a cap of one: the second connection_init closes with 1013, an upgrade with a token gets 429, a closed connection frees its place")
    func cap() async throws {
        // An init timeout far longer than a loaded machine takes to acknowledge: this test is
        // about the cap, not the timeout.
        let test = try await GraphQLTestServer.start(sockets: SocketSettings(initTimeout: .seconds(120), maxConnectionsPerTenant: 1))
        let token = try await GraphQLTestServer.memberToken()
        let initMessage = #"{"type":"connection_init","payload":{"Authorization":"Bearer \#(token)"}}"#
        try await test.server.test { client in
            let port = try #require(client.port)
            let (first, _) = try await Client.open(port: port)
            first.sendText(initMessage)
            let ack = try #require(await first.frame())
            #expect(String(decoding: ack.payload, as: UTF8.self) == #"{"type":"connection_ack"}"#)

            let (second, _) = try await Client.open(port: port)
            second.sendText(initMessage)
            let close = try #require(await second.frame())
            #expect(close.opcode == 0x8)
            #expect(close.payload.count >= 2 && Int(close.payload[0]) << 8 | Int(close.payload[1]) == 1013)
            #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self).contains("Too many connections for this tenant"))

            let (_, refused) = try await Client.open(port: port, authorization: "Bearer \(token)")
            #expect(refused.hasPrefix("HTTP/1.1 429"), "\(refused)")
            #expect(refused.contains("Retry-After: 5"))
            #expect(refused.contains(#""code":"rate-limited""#))

            // The first leaves: its place is free again.
            first.connection.shutdownWrite()
            _ = await first.connection.readToEnd()
            var acknowledged = false
            for _ in 0..<50 where !acknowledged {
                let (next, _) = try await Client.open(port: port)
                next.sendText(initMessage)
                if let frame = await next.frame(), String(decoding: frame.payload, as: UTF8.self) == #"{"type":"connection_ack"}"# {
                    acknowledged = true
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(acknowledged, "a closed connection should free its tenant's place")
        }
        await test.pool.shutdown()
    }

    @Test("the count goes up to the cap and back down")
    func counting() {
        let tenants = TenantConnections(cap: 2)
        #expect(tenants.admit("a") && tenants.admit("a"))
        #expect(!tenants.admit("a"))
        #expect(tenants.admit("b"), "another tenant has its own cap")
        #expect(tenants.isFull("a"))
        tenants.release("a")
        #expect(!tenants.isFull("a") && tenants.count(of: "a") == 1)
    }
}
