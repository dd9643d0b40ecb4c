import Foundation
import NIOCore
import Testing

/// Malformed HTTP thrown at the server: request lines, headers, lengths and chunked bodies
/// mangled at random (seeded, so a failure can be replayed with STRATA_HTTP_GARBAGE_SEED).
/// Each request is followed by the client's end of input, which ends the connection: whatever
/// arrived, the server answers or closes — never traps — and keeps serving everyone else.
@Suite("HTTP garbage")
struct HTTPGarbageTests {
    /// A small deterministic generator (SplitMix64).
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let body = #"{"query":"{ projects { name } }"}"#
    static let seeds: [String] = [
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)",
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + String(body.utf8.count, radix: 16) + "\r\n\(body)\r\n0\r\n\r\n",
        "GET /graphql?query=%7B%20projects%20%7B%20name%20%7D%20%7D HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n",
        "GET /healthz HTTP/1.0\r\n\r\n",
    ]
    static let fragments = ["\r\n", "\r\n\r\n", ":", " ", "\0", "\u{7f}", "Content-Length: 99999999999999999999\r\n",
                            "Content-Length: -1\r\n", "Transfer-Encoding: chunked\r\n", "Expect: 100-continue\r\n", "ffffffffffffffff\r\n",
                            "Connection: upgrade\r\nUpgrade: websocket\r\n", "HTTP/9.9", "%", "%zz", "\u{00e9}", String(repeating: "A", count: 3_000)]

    static func mangle(_ text: String, _ random: inout Seeded) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: if !bytes.isEmpty { bytes[position] = UInt8.random(in: 0...255, using: &random) }
            case 1: bytes.insert(contentsOf: Array(fragments.randomElement(using: &random)!.utf8), at: position)
            case 2: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...20, using: &random)))
            case 3: bytes = Array(bytes.prefix(position))
            default: bytes += bytes.prefix(Int.random(in: 0...bytes.count, using: &random))
            }
        }
        return bytes
    }

    @Test("400 mangled requests: each is answered or closed, and the server keeps serving")
    func mangledRequests() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        let seed = UInt64(ProcessInfo.processInfo.environment["STRATA_HTTP_GARBAGE_SEED"] ?? "") ?? UInt64.random(in: 0...UInt64.max)
        try await test.server.test { client in
            let port = try #require(client.port)
            var random = Seeded(state: seed)
            var answered = 0
            for _ in 0..<400 {
                let request = Self.mangle(Self.seeds.randomElement(using: &random)!, &random)
                let connection = try RawConnection(port: port, timeout: 2)
                connection.send(bytes: request)
                connection.shutdownWrite()
                let answer = await connection.readToEnd()
                #expect(answer.isEmpty || answer.hasPrefix("HTTP/1."), "seed \(seed): \(answer.prefix(100))")
                if !answer.isEmpty { answered += 1 }
            }
            // Malformed heads are answered 400 before the end of input closes the connection.
            #expect(answered > 40, "seed \(seed): only \(answered) answered")
            let status = try await client.execute(uri: "/graphql", method: .post,
                                                  headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
                                                  body: ByteBuffer(string: Self.body)) { $0.status }
            #expect(status == .ok, "seed \(seed)")
        }
        await test.pool.shutdown()
    }
}
