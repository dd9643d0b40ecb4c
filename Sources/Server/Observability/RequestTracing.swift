import Instrumentation
import Synchronization
import Tracing

/// Records each request as a trace: a root span for the request (a child of the caller's
/// `traceparent` when it sent one) and a span per stage it went through — parse, validate,
/// plan, database, serialize. Without it (no OTLP endpoint configured) nothing is recorded and
/// requests pay nothing.
public struct RequestTracing: Sendable {
    let tracer: any Tracer

    public init(tracer: any Tracer) {
        self.tracer = tracer
    }

    /// Starts a request's root span; the stages are added when it finishes.
    func begin(_ name: String, traceparent: String?, kind: SpanKind = .server, attributes: SpanAttributes = [:]) -> RequestTrace {
        var context = InstrumentationContext.topLevel
        if let traceparent {
            tracer.extract(["traceparent": traceparent], into: &context, using: TraceHeaders())
        }
        let root = tracer.startSpan(name, context: context, ofKind: kind, at: DefaultTracerClock.now)
        root.attributes = attributes
        var headers: [String: String] = [:]
        tracer.inject(root.context, into: &headers, using: TraceHeaders())
        return RequestTrace(tracer: tracer, root: root, context: TraceContext(traceparent: headers["traceparent"]))
    }
}

/// One request's trace while it runs: its root span, and the stages it has been through.
final class RequestTrace: Sendable {
    private let tracer: any Tracer
    private let root: any Span
    /// The trace as the next hop sees it (this request's root span as parent): logged with the
    /// request and shown in `pg_stat_activity`.
    let context: TraceContext?
    private let stages = Mutex<[Stage]>([])

    private struct Stage {
        var name: String
        var kind: SpanKind
        var start: DefaultTracerClock.Instant
        var end: DefaultTracerClock.Instant
        var attributes: SpanAttributes
    }

    fileprivate init(tracer: any Tracer, root: any Span, context: TraceContext?) {
        self.tracer = tracer
        self.root = root
        self.context = context
    }

    /// The instant a stage starts.
    static var now: DefaultTracerClock.Instant { DefaultTracerClock.now }

    /// A stage that started at `start` (nil: it did not happen) and ends now.
    func stage(_ name: String, since start: DefaultTracerClock.Instant?, kind: SpanKind = .internal, attributes: SpanAttributes = [:]) {
        guard let start else { return }
        let stage = Stage(name: name, kind: kind, start: start, end: Self.now, attributes: attributes)
        stages.withLock { $0.append(stage) }
    }

    /// Ends the trace with what the request came to: its stages become child spans of the root,
    /// which carries the operation, role, tenant and outcome.
    func finish(_ report: RequestReport) {
        var attributes = root.attributes
        attributes["strata.request_id"] = report.requestID
        attributes["strata.transport"] = report.transport.rawValue
        attributes["strata.outcome"] = report.outcome.rawValue
        attributes["graphql.operation.type"] = report.operation.rawValue
        if let name = report.operationName { attributes["graphql.operation.name"] = name }
        if let role = report.role { attributes["strata.role"] = role }
        if let tenant = report.tenant { attributes["strata.tenant"] = tenant }
        if let status = report.status { attributes["http.response.status_code"] = status }
        root.attributes = attributes
        if report.transport == .websocket {
            root.operationName = "graphql " + report.operation.rawValue + (report.operationName.map { " " + $0 } ?? "")
        }
        if [.executionError, .unavailable, .timeout].contains(report.outcome) || (report.status ?? 0) >= 500 {
            root.setStatus(SpanStatus(code: .error, message: report.outcome.rawValue))
        }
        let context = root.context
        for stage in stages.withLock({ $0 }) {
            let span = tracer.startSpan(stage.name, context: context, ofKind: stage.kind, at: stage.start)
            span.attributes = stage.attributes
            span.end(at: stage.end)
        }
        root.end(at: DefaultTracerClock.now)
    }
}

/// `traceparent` and its companions carried in a dictionary of header fields.
struct TraceHeaders: Extractor, Injector {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}
