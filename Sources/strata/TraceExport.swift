import Foundation
import Logging
import OTel
import SchemaModel
import Server
import ServiceLifecycle

/// The OTLP exporter of requests' spans (swift-otel), made only when an endpoint is configured:
/// `tracing.otlp_endpoint` in `strata.yaml`, or OpenTelemetry's own `OTEL_EXPORTER_OTLP_ENDPOINT`
/// / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. The other `OTEL_*` variables (sampler, batch delay,
/// headers, timeout) apply as OpenTelemetry defines them.
enum TraceExport {
    /// The tracing of requests and the service that batches and sends their spans; nil when no
    /// endpoint is configured (or `OTEL_SDK_DISABLED=true`): then nothing is traced.
    static func make(_ settings: TracingSettings, environment: [String: String] = ProcessInfo.processInfo.environment,
                     logger: Logger) throws -> (tracing: RequestTracing, service: any Service)? {
        guard environment["OTEL_SDK_DISABLED"]?.lowercased() != "true" else { return nil }
        let fromEnvironment = ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"].contains { !(environment[$0] ?? "").isEmpty }
        guard settings.endpoint != nil || fromEnvironment else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = settings.serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        configuration.propagators = [.traceContext]
        configuration.traces.sampler = .parentBasedTraceIDRatio(ratio: settings.sampleRatio) ?? .parentBasedAlwaysOn
        configuration.traces.otlpExporter.protocol = settings.otlpProtocol == .httpJSON ? .httpJSON : .httpProtobuf
        if let endpoint = settings.endpoint {
            configuration.traces.otlpExporter.endpoint = endpoint + (endpoint.hasSuffix("/") ? "" : "/") + "v1/traces"
        }
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        return (RequestTracing(tracer: backend.factory), backend.service)
    }
}
