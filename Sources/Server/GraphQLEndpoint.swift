import Foundation
import GraphQLLanguage
import Hummingbird
import Logging
import NIOCore
import Planner

/// `/graphql` over HTTP, as the GraphQL-over-HTTP specification describes: POST with a JSON
/// body, GET with URL parameters (queries only), the response type from `Accept`, and status
/// codes that tell request errors from results.
public struct GraphQLEndpoint: Sendable {
    public let executor: GraphQLExecutor
    public let authenticator: TokenAuthenticator
    /// The largest request body read, in bytes.
    public var maximumBodySize: Int
    /// How long a statement runs before the server starts watching for the client hanging up,
    /// so that a disconnect cancels it. Watching costs the connection its keep-alive, so fast
    /// requests never pay for it. Nil never watches (for requests that do not come from a
    /// socket, as in router tests).
    public var disconnectWatchDelay: Duration? = .milliseconds(100)
    /// The longest a request may take once it reaches the database, all its statements (and
    /// waits for a connection) together; then it is stopped and rolled back. Nil: no limit
    /// beyond the statement timeout.
    public var requestTimeout: Duration? = .seconds(30)

    public init(executor: GraphQLExecutor, authenticator: TokenAuthenticator, maximumBodySize: Int = 1 << 20) {
        self.executor = executor
        self.authenticator = authenticator
        self.maximumBodySize = maximumBodySize
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("graphql") { request, _ in await self.respond(to: request, isPost: false) }
        router.post("graphql") { request, _ in await self.respond(to: request, isPost: true) }
    }

    func respond(to request: Request, isPost: Bool) async -> Response {
        guard let media = ResponseMediaType.negotiate(accept: request.headers[.accept]) else {
            return problem(RequestProblem(.notAcceptable, "Accept application/graphql-response+json or application/json."), media: .json)
        }
        var request = request
        let graphQLRequest: GraphQLRequest
        do {
            graphQLRequest = try await read(&request, isPost: isPost)
        } catch let problem as RequestProblem {
            return self.problem(problem, media: media)
        } catch {
            return problem(RequestProblem(.payloadTooLarge, "The request body is larger than \(maximumBodySize) bytes."), media: media)
        }
        let session: Session
        do {
            session = try await authenticator.session(authorization: request.headers[.authorization])
        } catch {
            return problem(error, media: media)
        }
        let prepared: GraphQLExecutor.Prepared
        switch executor.prepare(graphQLRequest, session: session, readOnly: !isPost) {
        case .refused(let errors):
            return Self.response(media == .graphQLResponse ? .badRequest : .ok, GraphQLError.responseBody(errors.errors), media: media)
        case .readOnlyRequest(let operation):
            var response = problem(RequestProblem(.methodNotAllowed, "A \(operation.rawValue) must be sent with POST."), media: media)
            response.headers[.allow] = "POST"
            return response
        case .ready(let ready):
            prepared = ready
        }
        switch await run(prepared, request: request) {
        case .data(let data):
            var body = ByteBuffer(string: "{\"data\":")
            var data = data
            body.writeBuffer(&data)
            body.writeString("}")
            return Response(status: .ok, headers: [.contentType: media.rawValue], body: .init(byteBuffer: body))
        case .requestErrors(let errors):
            return Self.response(media == .graphQLResponse ? .badRequest : .ok, GraphQLError.responseBody(errors), media: media)
        case .executionErrors(let errors):
            let body = "{\"errors\":[\(errors.map(\.json).joined(separator: ","))],\"data\":null}"
            // The database being out of reach is the server's condition, not the request's
            // result: 503 with a hint when to come back, whatever the media type.
            if errors.contains(where: { Self.unavailableCodes.contains($0.code ?? "") }) {
                var response = Self.response(.serviceUnavailable, body, media: media)
                response.headers[.retryAfter] = "1"
                return response
            }
            return Self.response(.ok, body, media: media)
        }
    }

    /// Runs the statement; once it has run for `disconnectWatchDelay`, a client hanging up
    /// cancels it (and so its statement on the server).
    private func run(_ prepared: GraphQLExecutor.Prepared, request: Request) async -> GraphQLExecutor.Outcome {
        guard let disconnectWatchDelay, prepared.needsDatabase else { return await executor.run(prepared) }
        let watch = DisconnectWatch(body: request.body, delay: disconnectWatchDelay, deadline: requestTimeout)
        let outcome = await executor.run(prepared, cancellation: watch.cancellation)
        await watch.finish()
        if watch.deadlinePassed, case .executionErrors(let errors) = outcome {
            let milliseconds = requestTimeout.map { $0.components.seconds * 1_000 + $0.components.attoseconds / 1_000_000_000_000_000 } ?? 0
            return .executionErrors(errors.map { error in
                guard error.code == ErrorCode.cancelled else { return error }
                var stopped = GraphQLError("The request ran longer than the server's request timeout (\(milliseconds) ms) and was stopped; nothing it wrote was kept.",
                                           code: ErrorCode.requestTimeout)
                stopped.path = error.path
                return stopped
            })
        }
        return outcome
    }

    private func read(_ request: inout Request, isPost: Bool) async throws -> GraphQLRequest {
        if isPost {
            let contentType = request.headers[.contentType].map(HeaderValue.mediaType)
            guard contentType == "application/json" else {
                throw RequestProblem(.unsupportedMediaType,
                                     "POST bodies must be application/json; got \(contentType.map { "'\($0)'" } ?? "no Content-Type").")
            }
            let body = try await request.collectBody(upTo: maximumBodySize)
            return try GraphQLRequest.parse(body: Array(buffer: body))
        }
        guard let parameters = FormParameters.parse(request.uri.query.map { Substring($0) } ?? "") else {
            throw RequestProblem(.badRequest, "The URL's parameters are not valid form encoding (a '%' must be followed by two hexadecimal digits, and the text must be UTF-8).")
        }
        return try GraphQLRequest.parse(parameters: parameters)
    }

    private func problem(_ problem: RequestProblem, media: ResponseMediaType) -> Response {
        let status: HTTPResponse.Status = switch problem.kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .methodNotAllowed: .methodNotAllowed
        case .notAcceptable: .notAcceptable
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        }
        var response = Self.response(status, GraphQLError.responseBody([problem.error]), media: media)
        if problem.kind == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    static let unavailableCodes: Set<String> = [ErrorCode.databaseUnavailable, ErrorCode.poolExhausted]

    static func response(_ status: HTTPResponse.Status, _ body: String, media: ResponseMediaType) -> Response {
        Response(status: status, headers: [.contentType: media.rawValue], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
