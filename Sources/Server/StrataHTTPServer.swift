import GraphQLLanguage
import Logging
import NIOCore
import NIOHTTP1
import Telemetry

/// Strata's HTTP front: health and readiness for operators, and the GraphQL endpoint.
public struct StrataHTTPServer: HTTPResponder {
    public let configuration: ServerConfiguration
    let readiness: any ReadinessCheck
    let graphQL: GraphQLEndpoint?
    /// Served at `/metrics`; nil: not here.
    let metrics: StrataMetrics?
    let logger: Logger

    /// - Parameter graphQL: the GraphQL endpoint; nil serves health checks only.
    /// - Parameter metrics: the process's metrics, served at `/metrics`; nil serves none.
    public init(configuration: ServerConfiguration, readiness: any ReadinessCheck, graphQL: GraphQLEndpoint?, metrics: StrataMetrics? = nil,
                logger: Logger) {
        self.configuration = configuration
        self.readiness = readiness
        self.graphQL = graphQL
        self.metrics = metrics
        self.logger = logger
    }

    public func respond(to request: IncomingRequest, context: RequestContext) async -> OutgoingResponse {
        let method = request.method
        switch request.path {
        case "/graphql":
            guard let graphQL else { return Self.notFound }
            switch method {
            case .POST: return await graphQL.respond(to: request, isPost: true, context: context)
            case .GET, .HEAD: return await graphQL.respond(to: request, isPost: false, context: context)
            default: return Self.methodNotAllowed(allow: "GET, POST")
            }
        case "/healthz":
            guard method == .GET || method == .HEAD else { return Self.methodNotAllowed(allow: "GET") }
            return .json(.ok, #"{"status":"ok"}"#)
        case "/readyz":
            guard method == .GET || method == .HEAD else { return Self.methodNotAllowed(allow: "GET") }
            do {
                try await readiness.check()
                return .json(.ok, #"{"status":"ready"}"#)
            } catch {
                logger.warning("readiness check failed: \(error)")
                let reason = (error as? NotReady)?.reason ?? "database"
                return .json(.serviceUnavailable, #"{"status":"unavailable","reason":"# + JSONText.quoted(reason) + "}")
            }
        case "/metrics":
            guard let metrics else { return Self.notFound }
            guard method == .GET || method == .HEAD else { return Self.methodNotAllowed(allow: "GET") }
            let text = await metrics.exposition()
            var body = ByteBuffer()
            body.writeBytes(text)
            return OutgoingResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: body)
        default:
            return Self.notFound
        }
    }

    static let notFound = OutgoingResponse.json(.notFound, #"{"errors":[{"message":"Not found: Strata serves /graphql, /healthz and /readyz (and /metrics unless it has a port of its own).","extensions":{"code":"not-found"}}]}"#)

    static func methodNotAllowed(allow: String) -> OutgoingResponse {
        var response = OutgoingResponse.json(.methodNotAllowed, #"{"errors":[{"message":"Method not allowed here.","extensions":{"code":"method-not-allowed"}}]}"#)
        response.headers.replaceOrAdd(name: "Allow", value: allow)
        return response
    }

    /// The server, as a `Service`; `onRunning` receives the URL once the port is bound.
    public func makeService(onRunning: @escaping @Sendable (String) async -> Void = { _ in }) -> HTTPServer {
        HTTPServer(configuration: configuration, responder: self, bodyLimit: graphQL?.maximumBodySize ?? 1 << 20,
                   logger: logger, onRunning: onRunning)
    }
}
