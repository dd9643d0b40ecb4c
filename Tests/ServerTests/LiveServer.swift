import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Server
import ServiceLifecycle

/// A client of a server under test: keep-alive requests over one connection.
struct LiveClient: Sendable {
    struct Response: Sendable {
        let head: HTTPResponse
        let body: ByteBuffer

        var status: HTTPResponse.Status { head.status }
        var headers: HTTPFields { head.headerFields }
    }

    let client: TestClient
    let port: Int?

    /// Sends a request and hands its response to `check`.
    @discardableResult
    func execute<Value>(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
                        _ check: (Response) async throws -> Value = { $0 }) async throws -> Value {
        var headers = headers
        headers[.connection] = "keep-alive"
        let response = try await client.execute(TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body))
        return try await check(Response(head: response.head, body: response.body ?? ByteBuffer()))
    }
}

extension StrataHTTPServer {
    /// Serves on a free port while `body` runs with a client connected to it, then drains the
    /// server as SIGTERM would.
    func test<Value: Sendable>(onRunning: @escaping @Sendable (String) async -> Void = { _ in },
                               _ body: @Sendable (LiveClient) async throws -> Value) async throws -> Value {
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let service = makeService { url in
            await onRunning(url)
            announce.yield(Int(url.split(separator: ":").last ?? "") ?? 0)
        }
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "strata.test")))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let client = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(20)))
            client.connect()
            do {
                let value = try await body(LiveClient(client: client, port: port))
                try await client.shutdown()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                try? await client.shutdown()
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
