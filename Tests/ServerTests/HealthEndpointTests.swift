import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import Server

@Suite("HTTP endpoints")
struct HealthEndpointTests {
    struct Unreachable: ReadinessCheck {
        struct Down: Error {}
        func check() async throws { throw Down() }
    }

    func application(_ readiness: any ReadinessCheck) -> StrataHTTPServer {
        StrataHTTPServer(configuration: .init(port: 0), readiness: readiness, graphQL: nil, logger: Logger(label: "test"))
    }

    @Test("/healthz answers 200 while the process lives")
    func health() async throws {
        try await application(Unreachable()).test { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }

    struct WorkersStalled: ReadinessCheck {
        func check() async throws { throw NotReady(reason: "event triggers") }
    }

    @Test("/readyz follows the database and then the background workers, saying which is not ready")
    func readiness() async throws {
        try await application(AllReady([AlwaysReady(), WorkersStalled()])).test { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == #"{"status":"unavailable","reason":"event triggers"}"#)
            }
        }
        try await application(AlwaysReady()).test { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        try await application(Unreachable()).test { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("database"))
            }
        }
    }

    @Test("the running server announces the URL with the port it bound")
    func announcesURL() async throws {
        let announced = AsyncStream<String>.makeStream()
        let server = StrataHTTPServer(configuration: .init(port: 0), readiness: AlwaysReady(), graphQL: nil, logger: Logger(label: "test"))
        try await server.test(onRunning: { url in announced.continuation.yield(url) }) { client in
            var iterator = announced.stream.makeAsyncIterator()
            let url = await iterator.next()
            #expect(url == "http://127.0.0.1:\(client.port!)")
        }
    }
}
