import HummingbirdTesting
import NIOCore
import NIOPosix

/// Minimal HTTP requests against a `strata` process under test.
enum HTTPProbe {
    /// The port in a "Strata is serving http://host:port/graphql" line.
    static func port(in line: String) -> Int? {
        guard let url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }),
              let portText = url.split(separator: ":").last?.split(separator: "/").first else { return nil }
        return Int(portText)
    }

    static func status(port: Int, path: String, timeout: Duration = .seconds(120),
                       on group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Int {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: timeout), eventLoopGroupProvider: .shared(group))
        client.connect()
        do {
            let response = try await client.get(path)
            try await client.shutdown()
            return Int(response.status.code)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// POSTs a GraphQL request's JSON to /graphql with a bearer token; the status and the body.
    static func graphQL(port: Int, token: String, _ json: String) async throws -> (status: Int, body: String) {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120)), eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton))
        client.connect()
        do {
            let response = try await client.post("/graphql", headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
                                                 body: ByteBuffer(string: json))
            try await client.shutdown()
            return (Int(response.status.code), response.body.map { String(buffer: $0) } ?? "")
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
