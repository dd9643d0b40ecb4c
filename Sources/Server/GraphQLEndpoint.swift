import Foundation
import GraphQLLanguage
import NIOHTTP1
import Logging
import NIOCore
import Planner
import SchemaModel
import Telemetry
import Tracing

/// `/graphql` over HTTP, as the GraphQL-over-HTTP specification describes: POST with a JSON
/// body, GET with URL parameters (queries only), the response type from `Accept`, and status
/// codes that tell request errors from results.
///
/// Immutable, and a class: each request's task holds one reference to it, not a copy of its parts.
public final class GraphQLEndpoint: Sendable {
    /// The executor and authenticator of now, swapped by `reload`.
    let served: ServedAPI
    public var executor: GraphQLExecutor { served.executor }
    public var authenticator: TokenAuthenticator { served.authenticator }
    /// The largest request body read, in bytes.
    public let maximumBodySize: Int

    /// GraphQL over WebSocket on the same path.
    let sockets: SocketService
    /// Where finished requests are counted and logged.
    let log: RequestLog
    /// The rate limits, checked after authentication and before any database work.
    let rateLimiter: RateLimiter?
    /// Where requests' spans go; nil: nothing is traced.
    let tracing: RequestTracing?
    /// Whether a browser's `GET /graphql` gets the GraphiQL page.
    let console: Bool

    /// - Parameter hub: the live queries' hub; without one, subscription operations are refused.
    /// - Parameter log: request metrics and log lines; by default counted with the executor's
    ///   metrics and not logged.
    public init(executor: GraphQLExecutor, authenticator: TokenAuthenticator, maximumBodySize: Int = 1 << 20,
                socketSettings: SocketSettings = SocketSettings(), hub: SubscriptionHub? = nil, log: RequestLog? = nil,
                rateLimiter: RateLimiter? = nil, tracing: RequestTracing? = nil, console: Bool = false) {
        let served = ServedAPI(executor: executor, authenticator: authenticator)
        self.served = served
        self.maximumBodySize = maximumBodySize
        let log = log ?? RequestLog.unlogged(executor.metrics)
        self.log = log
        self.rateLimiter = rateLimiter
        self.tracing = tracing
        self.console = console
        self.sockets = SocketService(served: served, hub: hub, settings: socketSettings, log: log, rateLimiter: rateLimiter,
                                     tracing: tracing)
    }

    /// Serves a reloaded project from now on: requests under way finish on the API they began
    /// with; live subscriptions whose operation no longer validates get an error and end.
    /// Returns how many subscriptions ended.
    @discardableResult
    public func reload(executor: GraphQLExecutor, authenticator: TokenAuthenticator, rateLimits: [String: RoleRateLimits]) -> Int {
        served.swap(executor: executor, authenticator: authenticator)
        rateLimiter?.replace(limits: rateLimits)
        return sockets.hub?.revalidate(with: executor) ?? 0
    }

    /// The socket service's counts, for metrics.
    public var socketCounters: SocketCounters { sockets.counters }

    /// A body larger than this is read, authenticated and planned on Swift's shared pool rather
    /// than on the connection's event loop: decoding a megabyte of variables or planning the
    /// statement for thousands of rows takes long enough to hold up every other connection the
    /// loop serves. Its statement still runs from the loop, as every request's does.
    static let loopBodyLimit = 32 * 1024

    func respond(to request: IncomingRequest, isPost: Bool, context: RequestContext) async -> OutgoingResponse {
        if SocketHandshake.isRequested(request) { return await upgrade(request) }
        if console, !isPost, ConsolePage.isWanted(request) { return ConsolePage.response() }
        let started = ContinuousClock.now
        var report = RequestReport(requestID: RequestID.of(request.fields.requestID), transport: .http)
        let traceparent = request.fields.traceparent
        let method = isPost ? "POST" : "GET"
        let trace = tracing?.begin(method + " /graphql", traceparent: traceparent,
                                   attributes: ["http.request.method": .string(method), "http.route": "/graphql"])
        report.trace = trace?.context ?? TraceContext(traceparent: traceparent)
        var response = await answer(request, isPost: isPost, context: context, report: &report, trace: trace)
        report.status = Int(response.status.code)
        report.bytes = response.body.readableBytes
        if response.status == .unauthorized { report.outcome = .unauthorized }
        log.finished(report, duration: .now - started)
        trace?.finish(report)
        response.headers.replaceOrAdd(name: RequestID.header, value: report.requestID)
        return response
    }

    private func answer(_ request: IncomingRequest, isPost: Bool, context: RequestContext, report: inout RequestReport,
                        trace: RequestTrace?) async -> OutgoingResponse {
        let admission: Admission
        if case .complete(let body) = request.body, body.readableBytes > Self.loopBodyLimit {
            admission = await withTaskExecutorPreference(globalConcurrentExecutor) { await admit(request, isPost: isPost, trace: trace) }
        } else {
            admission = await admit(request, isPost: isPost, trace: trace)
        }
        var prepared: GraphQLExecutor.Prepared, media: ResponseMediaType
        switch admission {
        case .answered(let response, let session, let media):
            report.role = session?.role
            report.tenant = session?.tenantID
            report.outcome = .requestError
            // A refused document still counts as one request against the rate limits.
            if let session, let refused = limited(session, cost: 1, context: context, media: media, report: &report) { return refused }
            return response
        case .ready(let ready, let negotiated): (prepared, media) = (ready, negotiated)
        }
        prepared.trace = report.trace
        report.role = prepared.session.role
        report.tenant = prepared.session.tenantID
        report.operation = RequestMetrics.Operation(prepared.operation)
        report.operationName = prepared.operationName
        report.fingerprint = prepared.fingerprint
        if let refused = limited(prepared.session, cost: prepared.cost, context: context, media: media, report: &report) { return refused }
        let ran = ContinuousClock.now
        let querying = trace.map { _ in RequestTrace.now }
        let outcome = await run(prepared, context: context)
        if prepared.needsDatabase {
            report.database = .now - ran
            trace?.stage("database", since: querying, kind: .client, attributes: Self.databaseAttributes(prepared))
        }
        let serializing = trace.map { _ in RequestTrace.now }
        defer { trace?.stage("serialize", since: serializing) }
        switch outcome {
        case .data(var data):
            var body = ByteBuffer()
            body.reserveCapacity(data.readableBytes + 9)
            body.writeStaticString("{\"data\":")
            body.writeBuffer(&data)
            body.writeString("}")
            return .json(.ok, body, contentType: media.rawValue)
        case .requestErrors(let errors):
            report.outcome = .requestError
            return Self.response(media == .graphQLResponse ? .badRequest : .ok, GraphQLError.responseBody(errors), media: media)
        case .executionErrors(let errors):
            report.outcome = RequestMetrics.Outcome(errors)
            let body = "{\"errors\":[\(errors.map(\.json).joined(separator: ","))],\"data\":null}"
            // The database being out of reach is the server's condition, not the request's
            // result: 503 with a hint when to come back, whatever the media type.
            if errors.contains(where: { Self.unavailableCodes.contains($0.code ?? "") }) {
                var response = Self.response(.serviceUnavailable, body, media: media)
                response.headers.replaceOrAdd(name: "Retry-After", value: "1")
                return response
            }
            return Self.response(.ok, body, media: media)
        }
    }

    /// The answer to an operation over a rate limit (429 with `Retry-After`) or over its role's
    /// cost limit; nil when it may run.
    private func limited(_ session: Session, cost: Int, context: RequestContext, media: ResponseMediaType,
                         report: inout RequestReport) -> OutgoingResponse? {
        guard let rateLimiter, let (error, retryAfter) = RateLimiter.refusal(rateLimiter.admit(session, address: context.clientAddress, cost: cost))
        else { return nil }
        report.outcome = .rateLimited
        guard let retryAfter else {
            return Self.response(media == .graphQLResponse ? .badRequest : .ok, GraphQLError.responseBody([error]), media: media)
        }
        var response = Self.response(.tooManyRequests, GraphQLError.responseBody([error]), media: media)
        response.headers.replaceOrAdd(name: "Retry-After", value: String(retryAfter))
        return response
    }

    /// A WebSocket upgrade: refused with 429 when its token's tenant already holds as many
    /// connections as it may (a token sent later, in `connection_init`, is checked then).
    private func upgrade(_ request: IncomingRequest) async -> OutgoingResponse {
        if let authorization = request.fields.authorization,
           let (session, _) = try? await authenticator.verify(authorization: authorization),
           let tenant = session.tenantID, sockets.tenants.isFull(tenant) {
            sockets.counters.refused.add(1, ordering: .relaxed)
            var response = OutgoingResponse.json(.tooManyRequests, GraphQLError.responseBody([GraphQLError(
                "This tenant holds as many WebSocket connections as it may (\(sockets.tenants.cap)); try again later.", code: ErrorCode.rateLimited)]))
            response.headers.replaceOrAdd(name: "Retry-After", value: "5")
            return response
        }
        return SocketHandshake.answer(request, service: sockets)
    }

    private enum Admission: Sendable {
        /// Refused, or answered without planning; with the session if the token was read.
        case answered(OutgoingResponse, Session?, ResponseMediaType)
        case ready(GraphQLExecutor.Prepared, ResponseMediaType)
    }

    /// Everything before the statement: the response type, the request's fields, the session
    /// from the token, the plan.
    private func admit(_ request: IncomingRequest, isPost: Bool, trace: RequestTrace?) async -> Admission {
        guard let media = ResponseMediaType.negotiate(accept: request.fields.accept) else {
            return .answered(problem(RequestProblem(.notAcceptable, "Accept application/graphql-response+json or application/json."), media: .json), nil, .json)
        }
        let graphQLRequest: GraphQLRequest
        do {
            graphQLRequest = try read(request, isPost: isPost)
        } catch {
            return .answered(problem(error, media: media), nil, media)
        }
        let session: Session
        do {
            session = try await authenticator.session(authorization: request.fields.authorization)
        } catch {
            return .answered(problem(error, media: media), nil, media)
        }
        switch executor.prepare(graphQLRequest, session: session, readOnly: !isPost, trace: trace) {
        case .refused(let errors):
            return .answered(Self.response(media == .graphQLResponse ? .badRequest : .ok, GraphQLError.responseBody(errors.errors), media: media), session, media)
        case .readOnlyRequest(let operation):
            var response = problem(RequestProblem(.methodNotAllowed, "A \(operation.rawValue) must be sent with POST."), media: media)
            response.headers.replaceOrAdd(name: "Allow", value: "POST")
            return .answered(response, session, media)
        case .ready(let ready):
            return .ready(ready, media)
        }
    }

    /// Runs the statement, cancelled if the client hangs up or the request's deadline passes.
    private func run(_ prepared: GraphQLExecutor.Prepared, context: RequestContext) async -> GraphQLExecutor.Outcome {
        guard prepared.needsDatabase else { return await executor.run(prepared) }
        let outcome = await executor.run(prepared, cancellation: context.cancellation)
        guard context.deadline.hasPassed, case .executionErrors(let errors) = outcome else { return outcome }
        let milliseconds = context.deadline.timeout.map { $0.components.seconds * 1_000 + $0.components.attoseconds / 1_000_000_000_000_000 } ?? 0
        return .executionErrors(errors.map { error in
            guard error.code == ErrorCode.cancelled else { return error }
            var stopped = GraphQLError("The request ran longer than the server's request timeout (\(milliseconds) ms) and was stopped; nothing it wrote was kept.",
                                       code: ErrorCode.requestTimeout)
            stopped.path = error.path
            return stopped
        })
    }

    private func read(_ request: IncomingRequest, isPost: Bool) throws(RequestProblem) -> GraphQLRequest {
        if isPost {
            let contentType = request.fields.contentType.map(HeaderValue.mediaType)
            guard contentType == "application/json" else {
                throw RequestProblem(.unsupportedMediaType,
                                     "POST bodies must be application/json; got \(contentType.map { "'\($0)'" } ?? "no Content-Type").")
            }
            switch request.body {
            case .tooLarge(let limit):
                throw RequestProblem(.payloadTooLarge, "The request body is larger than \(limit) bytes.")
            case .complete(let body):
                return try GraphQLRequest.parse(body: Array(body.readableBytesView))
            }
        }
        guard let parameters = FormParameters.parse(request.query ?? "") else {
            throw RequestProblem(.badRequest, "The URL's parameters are not valid form encoding (a '%' must be followed by two hexadecimal digits, and the text must be UTF-8).")
        }
        return try GraphQLRequest.parse(parameters: parameters)
    }

    private func problem(_ problem: RequestProblem, media: ResponseMediaType) -> OutgoingResponse {
        let status: HTTPResponseStatus = switch problem.kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .methodNotAllowed: .methodNotAllowed
        case .notAcceptable: .notAcceptable
        case .payloadTooLarge: .payloadTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        }
        var response = Self.response(status, GraphQLError.responseBody([problem.error]), media: media)
        if problem.kind == .unauthorized { response.headers.replaceOrAdd(name: "WWW-Authenticate", value: "Bearer") }
        return response
    }

    /// What a trace's database span says of the statement: never its text or values.
    static func databaseAttributes(_ prepared: GraphQLExecutor.Prepared) -> SpanAttributes {
        var attributes: SpanAttributes = ["db.system.name": "postgresql"]
        if let fingerprint = prepared.fingerprint { attributes["strata.fingerprint"] = fingerprint }
        return attributes
    }

    static let unavailableCodes: Set<String> = [ErrorCode.databaseUnavailable, ErrorCode.poolExhausted]

    static func response(_ status: HTTPResponseStatus, _ body: String, media: ResponseMediaType) -> OutgoingResponse {
        .json(status, body, contentType: media.rawValue)
    }
}

