import ArgumentParser
import Foundation

/// Where metrics are served and how log lines look (`serve`, `dev`, `worker`).
struct ObservabilityOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Serve /metrics (and the health checks) on this port of the same host instead of the main port (env: STRATA_METRICS_PORT).",
        valueName: "port"))
    var metricsPort: Int?

    @Flag(name: .customLong("no-metrics"), help: "Count nothing and serve no /metrics.")
    var noMetrics = false

    @Option(name: .long, help: ArgumentHelp("Log lines as text or json, one object per line (env: STRATA_LOG_FORMAT; default text).",
                                            valueName: "format"))
    var logFormat: LogFormat?

    func resolvedMetricsPort() throws -> Int? {
        var port = metricsPort
        if port == nil, let text = ProcessInfo.processInfo.environment["STRATA_METRICS_PORT"] {
            guard let value = Int(text) else { throw UsageError(message: "STRATA_METRICS_PORT must be a port number, got '\(text)'") }
            port = value
        }
        if let port, !(0...65535).contains(port) {
            throw UsageError(message: "--metrics-port must be between 0 and 65535, got \(port)")
        }
        return port
    }
}

enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json

    /// The format asked for on the command line or in `STRATA_LOG_FORMAT`, read before the
    /// arguments are parsed: logging is set up once, before any command runs.
    static func requested(arguments: [String], environment: [String: String]) -> LogFormat {
        var requested = environment["STRATA_LOG_FORMAT"].flatMap(LogFormat.init(rawValue:))
        for (index, argument) in arguments.enumerated() {
            if argument == "--log-format", index + 1 < arguments.count {
                requested = LogFormat(rawValue: arguments[index + 1]) ?? requested
            } else if argument.hasPrefix("--log-format=") {
                requested = LogFormat(rawValue: String(argument.dropFirst("--log-format=".count))) ?? requested
            }
        }
        return requested ?? .text
    }
}
