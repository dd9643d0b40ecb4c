import Foundation
import NIOCore
@testable import Server
import Testing

/// Past a tenant's message rate, a live query's results are coalesced: the subscriber gets the
/// latest result when the rate allows again, never a backlog of stale ones.
@Suite("Messages per second per tenant")
struct SocketMessageRateTests {
    @Test("a bucket of three per second: three at once, then one every third of a second")
    func bucket() {
        let rates = TenantMessageRates(perSecond: 3)
        let start = ContinuousClock.now
        #expect((0..<3).allSatisfy { _ in rates.take("a", now: start) == nil })
        let wait = rates.take("a", now: start)
        #expect(wait.map { $0 > .milliseconds(300) && $0 < .milliseconds(340) } == true, "\(String(describing: wait))")
        #expect(rates.take("b", now: start) == nil, "each tenant has its own bucket")
        #expect(rates.take("a", now: start + .milliseconds(340)) == nil)
        #expect(rates.take("a", now: start + .milliseconds(340)) != nil)
        #expect((0..<3).allSatisfy { _ in rates.take("a", now: start + .seconds(5)) == nil }, "a bucket holds one second's worth")
        #expect(rates.take("a", now: start + .seconds(5)) != nil)
    }

    /// The text of each complete server frame in `bytes`.
    static func texts(_ bytes: [UInt8]) -> [String] {
        var texts: [String] = []
        var index = 0
        while index + 2 <= bytes.count {
            var length = Int(bytes[index + 1] & 0x7f), start = index + 2
            if length == 126, index + 4 <= bytes.count {
                length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
                start = index + 4
            }
            guard start + length <= bytes.count else { break }
            if bytes[index] & 0x0f == 0x1 { texts.append(String(decoding: bytes[start..<start + length], as: UTF8.self)) }
            index = start + length
        }
        return texts
    }

    /// The next `count` text frames, or those that came within `seconds` — leaving out the
    /// server's heartbeat pings, which a loaded machine may send before anything else (even
    /// before the acknowledgement, when reading `connection_init` took longer than the interval).
    static func nextTexts(_ socket: SocketCapTests.Client, count: Int, within seconds: Int = 20) async -> [String] {
        var texts: [String] = []
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline, texts.count < count {
            texts += Self.texts(await socket.connection.readBytes()).filter { $0 != #"{"type":"ping"}"# }
        }
        return texts
    }

    @Test("at one message per second, ten quick changes reach the subscriber as at most three results, the last one the latest")
    func coalesced() async throws {
        let test = try await GraphQLTestServer.start(sockets: SocketSettings(initTimeout: .seconds(120), liveRefreshInterval: .milliseconds(10), maxMessagesPerSecondPerTenant: 1),
                                                     live: true)
        let token = try await GraphQLTestServer.memberToken()
        let wallet = "14000000-0000-4000-8000-000000000002"
        try await test.serving { client in
            let port = try #require(client.port)
            let (socket, _) = try await SocketCapTests.Client.open(port: port, timeout: 1)
            socket.sendText(#"{"type":"connection_init","payload":{"Authorization":"Bearer \#(token)"}}"#)
            _ = await Self.nextTexts(socket, count: 1)
            socket.sendText(#"{"id":"w","type":"subscribe","payload":{"query":"subscription { wallets_by_pk(id: \"\#(wallet)\") { available } }"}}"#)
            #expect(await Self.nextTexts(socket, count: 1).first?.contains(#""available" : "50.00""#) == true)

            let started = ContinuousClock.now
            for amount in 1...10 {
                _ = try await test.database.rows("UPDATE public.wallets SET available = \(String(amount))::numeric WHERE id = \(wallet)::uuid")
                try await Task.sleep(for: .milliseconds(60))
            }
            let writing = ContinuousClock.now - started
            var results: [String] = []
            let deadline = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < deadline, results.last?.contains(#""available" : "10.00""#) != true {
                results += await Self.nextTexts(socket, count: 1, within: 1)
            }
            // One message a second: at most one per second of writing, plus the burst's one.
            #expect(results.count <= Int(writing.components.seconds) + 2 && results.count < 10, "\(results)")
            #expect(results.last?.contains(#""available" : "10.00""#) == true, "the latest result arrives: \(results)")
        }
    }

    @Test("at one message per second, a stream's batches are delayed in order, none dropped")
    func streamDelayed() async throws {
        let test = try await GraphQLTestServer.start(sockets: SocketSettings(initTimeout: .seconds(120), liveRefreshInterval: .milliseconds(10), maxMessagesPerSecondPerTenant: 1),
                                                     live: true)
        for number in 1...4 { try await StreamSubscriptionTests.insertTask(test, title: "Rate \(number)") }
        let token = try await GraphQLTestServer.memberToken()
        try await test.serving { client in
            let query = #"subscription { tasks_stream(batch_size: 1, cursor: {initial_value: {title: \"Rate\"}}, where: {title: {_like: \"Rate%\"}}) { title } }"#
            let started = ContinuousClock.now
            let socket = try await StreamSubscriptionTests.subscribe(port: try #require(client.port), token: token, payload: #"{"query":"\#(query)"}"#)
            let batches = await StreamSubscriptionTests.batches(socket, count: 4, within: 30)
            #expect(batches == [["Rate 1"], ["Rate 2"], ["Rate 3"], ["Rate 4"]])
            #expect(ContinuousClock.now - started >= .milliseconds(2_500), "four batches at one a second take three seconds at least")
        }
    }
}
