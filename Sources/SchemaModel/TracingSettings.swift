import Yams

/// `tracing:` in `strata.yaml`: where the spans of requests are exported over OTLP. Without an
/// endpoint (here or in `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT`)
/// nothing is traced: no exporter runs and requests record no span.
///
/// ```yaml
/// tracing:
///   otlp_endpoint: http://collector:4318   # OTLP over HTTP
///   protocol: http/protobuf                 # or http/json
///   service_name: strata
///   sample_ratio: 0.1                       # of traces no caller has decided on
/// ```
public struct TracingSettings: Sendable, Equatable {
    /// How spans are encoded on the way to the collector.
    public enum OTLPProtocol: String, Sendable, Equatable, CaseIterable {
        case httpProtobuf = "http/protobuf"
        case httpJSON = "http/json"
    }

    /// The collector's OTLP/HTTP address (spans are posted to `<endpoint>/v1/traces`); nil: none
    /// configured here.
    public var endpoint: String?
    public var otlpProtocol = OTLPProtocol.httpProtobuf
    /// The `service.name` resource attribute.
    public var serviceName = "strata"
    /// The share of new traces recorded (those whose caller sent no `traceparent`); a caller's
    /// decision (its sampled flag) is always followed.
    public var sampleRatio = 1.0

    public init() {}
}

extension YAMLReader {
    mutating func tracing(_ node: Node) -> TracingSettings {
        var settings = TracingSettings()
        let fields = mapping(node, keys: ["otlp_endpoint", "protocol", "service_name", "sample_ratio"], context: "tracing")
        if let node = fields["otlp_endpoint"], let text = string(node), !text.isEmpty {
            if text.hasPrefix("http://") || text.hasPrefix("https://") {
                settings.endpoint = text
            } else {
                fail(node, "otlp_endpoint must be an http:// or https:// address (OTLP over HTTP, such as http://collector:4318), got '\(text)'")
            }
        }
        if let node = fields["protocol"], let text = string(node) {
            if let value = TracingSettings.OTLPProtocol(rawValue: text) {
                settings.otlpProtocol = value
            } else {
                fail(node, "protocol must be \(TracingSettings.OTLPProtocol.allCases.map(\.rawValue).joined(separator: " or ")), got '\(text)'")
            }
        }
        if let node = fields["service_name"], let text = string(node) {
            if text.isEmpty { fail(node, "service_name must not be empty") } else { settings.serviceName = text }
        }
        if let node = fields["sample_ratio"], let text = string(node) {
            if let ratio = Double(text), ratio >= 0, ratio <= 1 {
                settings.sampleRatio = ratio
            } else {
                fail(node, "sample_ratio must be a number from 0 to 1, got '\(text)'")
            }
        }
        return settings
    }
}
