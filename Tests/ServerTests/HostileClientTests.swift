import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Clients that try to hold the server's connections or memory: oversized headers, request
/// heads trickled slowly, connections left open and silent.
@Suite("Hostile clients")
struct HostileClientTests {
    @Test("request header fields past the limit are answered 431 and the connection closed")
    func oversizedHeaders() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + String(repeating: "a", count: 20_000) + "\r\n\r\n")
            let answer = await connection.readToEnd()
            #expect(answer.hasPrefix("HTTP/1.1 431"), "\(answer.prefix(200))")
            #expect(answer.contains(#""code":"headers-too-large""#))
            let fine = try RawConnection(port: port)
            fine.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Padding: " + String(repeating: "a", count: 4_000) + "\r\n\r\n")
            let fineAnswer = await fine.readToEnd()
            #expect(fineAnswer.hasPrefix("HTTP/1.1 200"))
        }
        await test.pool.shutdown()
    }

    @Test("a request head trickled byte by byte is cut off after the head timeout; a silent connection after the idle timeout")
    func slowAndSilentClients() async throws {
        // Timeouts far apart, and far from a loaded machine's stalls: the trickle outlasts the
        // head timeout many times over, the silent connection is closed only by the idle one.
        let test = try await GraphQLTestServer.start(requestHeadTimeout: .seconds(2), idleTimeout: .seconds(12))
        try await test.server.test { client in
            let port = try #require(client.port)
            let silent = try RawConnection(port: port)
            let slow = try RawConnection(port: port)
            let started = ContinuousClock.now
            var closedWhileSending = false
            // A byte every 150 ms keeps the connection busy, but the head never completes.
            for character in "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + String(repeating: "a", count: 120) {
                try await Task.sleep(for: .milliseconds(150))
                if !slow.send(String(character)) { closedWhileSending = true; break }
            }
            let slowAnswer = closedWhileSending ? "" : await slow.readToEnd()
            #expect(slowAnswer.isEmpty, "the trickling client is cut off without an answer")
            #expect(closedWhileSending, "cut off while still sending, well before its head could finish")
            let silentAnswer = await silent.readToEnd()
            #expect(silentAnswer.isEmpty)
            let silentFor = ContinuousClock.now - started
            #expect(silentFor >= .seconds(10) && silentFor < .seconds(60), "closed by the idle timeout, not the head timeout")
            // A prompt client on keep-alive is served, then closed once it stays silent.
            let prompt = try RawConnection(port: port)
            prompt.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let answer = await prompt.readToEnd()
            #expect(answer.hasPrefix("HTTP/1.1 200"))
            #expect(answer.contains(#"{"status":"ok"}"#))
        }
        await test.pool.shutdown()
    }
}
