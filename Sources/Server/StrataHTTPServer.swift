import GraphQLLanguage
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Strata's HTTP front: health and readiness for operators, and the GraphQL endpoint.
public struct StrataHTTPServer: Sendable {
    public let configuration: ServerConfiguration
    let readiness: any ReadinessCheck
    let graphQL: GraphQLEndpoint?
    let logger: Logger

    /// - Parameter graphQL: the GraphQL endpoint; nil serves health checks only.
    public init(configuration: ServerConfiguration, readiness: any ReadinessCheck, graphQL: GraphQLEndpoint?, logger: Logger) {
        self.configuration = configuration
        self.readiness = readiness
        self.graphQL = graphQL
        self.logger = logger
    }

    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("healthz") { _, _ in
            Self.json(.ok, #"{"status":"ok"}"#)
        }
        let readiness = self.readiness
        let logger = self.logger
        router.get("readyz") { _, _ in
            do {
                try await readiness.check()
                return Self.json(.ok, #"{"status":"ready"}"#)
            } catch {
                logger.warning("readiness check failed: \(error)")
                return Self.json(.serviceUnavailable, #"{"status":"unavailable","reason":"database"}"#)
            }
        }
        graphQL?.register(on: router)
        return router
    }

    /// The application, as a `Service`; `onRunning` receives the URL once the port is bound.
    public func makeApplication(onRunning: @escaping @Sendable (String) async -> Void = { _ in }) -> some ApplicationProtocol {
        let host = configuration.host
        let headTimeout = TimeAmount(configuration.requestHeadTimeout)
        let idleTimeout = TimeAmount(configuration.idleTimeout)
        var http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(headTimeout: headTimeout, idleTimeout: idleTimeout)],
            httpDecoderConfiguration: .init(maxHeaderFieldSize: configuration.maximumHeaderBytes,
                                            maxHeaderListSize: configuration.maximumHeaderBytes))
        http.idleTimeout = nil
        return Application(
            router: makeRouter(),
            server: .http1(configuration: http),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "Strata"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shownHost = host.contains(":") ? "[\(host)]" : host
                await onRunning("http://\(shownHost):\(port)")
            },
            logger: logger)
    }

    static func json(_ status: HTTPResponse.Status, _ body: String, contentType: String = "application/json") -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
