import Testing
@testable import SchemaModel

@Suite("tracing: in strata.yaml")
struct TracingSettingsTests {
    @Test("no tracing section: no endpoint, so nothing is traced")
    func absent() throws {
        let settings = try ProjectSettings.parse("server: {}\n", file: "s.yaml", environment: [:])
        #expect(settings.tracing == TracingSettings())
        #expect(settings.tracing.endpoint == nil)
    }

    @Test("reads the endpoint (from the environment too), the protocol, the service name and the sample ratio")
    func reads() throws {
        let yaml = """
            tracing:
              otlp_endpoint: ${COLLECTOR:-}
              protocol: http/json
              service_name: strata-eu
              sample_ratio: 0.25
            """
        let settings = try ProjectSettings.parse(yaml, file: "s.yaml", environment: ["COLLECTOR": "http://collector:4318"])
        #expect(settings.tracing.endpoint == "http://collector:4318")
        #expect(settings.tracing.otlpProtocol == .httpJSON)
        #expect(settings.tracing.serviceName == "strata-eu")
        #expect(settings.tracing.sampleRatio == 0.25)
        let unset = try ProjectSettings.parse(yaml, file: "s.yaml", environment: [:])
        #expect(unset.tracing.endpoint == nil, "an empty endpoint traces nothing")
    }

    @Test("wrong values are reported at their place")
    func errors() {
        let yaml = """
            tracing:
              otlp_endpoint: collector:4317
              protocol: grpc
              sample_ratio: 2
              service: x
            """
        #expect {
            try ProjectSettings.parse(yaml, file: "s.yaml", environment: [:])
        } throws: { error in
            let lines = (error as? SchemaErrors)?.description.split(separator: "\n").map(String.init) ?? []
            return lines.count == 4
                && lines[0].hasPrefix("s.yaml:2:18: otlp_endpoint must be an http:// or https:// address")
                && lines[1] == "s.yaml:3:13: protocol must be http/protobuf or http/json, got 'grpc'"
                && lines[2] == "s.yaml:4:17: sample_ratio must be a number from 0 to 1, got '2'"
                && lines[3].hasPrefix("s.yaml:5:3: unknown key 'service' in tracing")
        }
    }
}
