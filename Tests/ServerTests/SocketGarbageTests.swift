import Foundation
import NIOCore
import Testing

/// Hostile bytes after a WebSocket upgrade: valid frames of protocol messages mangled at
/// random, frames with wild lengths, unmasked frames, raw noise (seeded; replay one run with
/// STRATA_SOCKET_GARBAGE_SEED). Each connection ends with the client's end of input (which
/// the server takes as a hang-up): whatever arrived, the server never traps and keeps serving.
@Suite("WebSocket garbage")
struct SocketGarbageTests {
    static let messages = [
        #"{"type":"connection_init","payload":{}}"#,
        #"{"type":"subscribe","id":"1","payload":{"query":"{ projects { name } }"}}"#,
        #"{"type":"ping","payload":{"a":[1,2,{"b":null}]}}"#,
        #"{"type":"complete","id":"1"}"#,
        #"{"type":"start","id":"1","payload":{"query":"{ projects { name } }","variables":{"x":1e999}}}"#,
    ]

    /// One client frame: FIN, `opcode`, masked with `mask` (unmasked when nil).
    static func frame(_ payload: [UInt8], opcode: UInt8 = 0x1, fin: Bool = true, mask: [UInt8]?, declaredLength: UInt64? = nil) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let length = declaredLength ?? UInt64(payload.count)
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        if length < 126 {
            bytes.append(maskBit | UInt8(length))
        } else if length <= UInt64(UInt16.max) {
            bytes.append(maskBit | 126)
            bytes += [UInt8(length >> 8), UInt8(length & 0xff)]
        } else {
            bytes.append(maskBit | 127)
            bytes += (0..<8).reversed().map { UInt8((length >> (8 * UInt64($0))) & 0xff) }
        }
        guard let mask else { return bytes + payload }
        return bytes + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    static func hostile(_ random: inout HTTPGarbageTests.Seeded) -> [UInt8] {
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255, using: &random) }
        let message = Array(messages.randomElement(using: &random)!.utf8)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return frame(HTTPGarbageTests.mangle(String(decoding: message, as: UTF8.self), &random), mask: mask)
        case 1: return frame(message, mask: nil)
        case 2: return frame(message, mask: mask, declaredLength: UInt64.random(in: 0...UInt64.max, using: &random))
        case 3: return frame(Array(message.prefix(5)), opcode: 0x0, fin: Bool.random(using: &random), mask: mask)
        case 4: return frame(message, opcode: UInt8.random(in: 0...15, using: &random), fin: Bool.random(using: &random), mask: mask)
        default: return (0..<Int.random(in: 1...400, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
    }

    @Test("200 connections of hostile frames: each ends, and the server keeps serving")
    func hostileFrames() async throws {
        let test = try await GraphQLTestServer.start()
        let seed = UInt64(ProcessInfo.processInfo.environment["STRATA_SOCKET_GARBAGE_SEED"] ?? "") ?? UInt64.random(in: 0...UInt64.max)
        try await test.server.test { client in
            let port = try #require(client.port)
            var random = HTTPGarbageTests.Seeded(state: seed)
            for _ in 0..<200 {
                let connection = try RawConnection(port: port, timeout: 20)
                connection.send("GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                                + "Sec-WebSocket-Protocol: \(Bool.random(using: &random) ? "graphql-transport-ws" : "graphql-ws")\r\n\r\n")
                let head = await connection.read()
                #expect(head.hasPrefix("HTTP/1.1 101"), "seed \(seed): \(head.prefix(200))")
                var bytes: [UInt8] = []
                for _ in 0..<Int.random(in: 1...3, using: &random) { bytes += Self.hostile(&random) }
                connection.send(bytes: bytes)
                connection.shutdownWrite()
                _ = await connection.readToEnd()
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok, "seed \(seed)") }
        }
        await test.pool.shutdown()
    }
}
