import CoreMetrics
import Prometheus
import Synchronization

/// The process's metrics, served by `/metrics` in Prometheus's text format. Each part of
/// Strata makes its instruments here once, at start-up, with their help text, and counts on
/// them with no lookup per event; gauges of state that already exists elsewhere (pool
/// connections, WebSocket connections) are read when the metrics are scraped instead of being
/// kept up to date on every change.
///
/// Labels are bounded: operation types, outcomes, roles and handler names from the YAML —
/// never a tenant or a user.
public final class StrataMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let collectors = Mutex<[@Sendable () async -> Void]>([])
    /// Lock-free histograms, by family name with their help text, rendered after the registry's.
    private let latencies = Mutex<[(name: String, help: String, histograms: [LatencyHistogram])]>([])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// A `MetricsFactory` writing to the same registry, for libraries that report through
    /// swift-metrics.
    public var factory: PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets
        return factory
    }

    /// Latency buckets from half a millisecond to ten seconds.
    public static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500),
        .seconds(5), .seconds(10),
    ]

    public func counter(_ name: String, _ help: String, labels: [(String, String)] = []) -> Prometheus.Counter {
        labels.isEmpty ? registry.makeCounter(name: name, help: help) : registry.makeCounter(name: name, labels: labels, help: help)
    }

    public func gauge(_ name: String, _ help: String, labels: [(String, String)] = []) -> Prometheus.Gauge {
        labels.isEmpty ? registry.makeGauge(name: name, help: help) : registry.makeGauge(name: name, labels: labels, help: help)
    }

    public func histogram(_ name: String, _ help: String, labels: [(String, String)] = [],
                          buckets: [Duration] = StrataMetrics.latencyBuckets) -> DurationHistogram {
        labels.isEmpty ? registry.makeDurationHistogram(name: name, buckets: buckets, help: help)
            : registry.makeDurationHistogram(name: name, labels: labels, buckets: buckets, help: help)
    }

    /// A latency histogram recorded with atomics only, for the hot path (every request). Its
    /// family must not also be made through the registry.
    public func latency(_ name: String, _ help: String, labels: [(String, String)] = [],
                        buckets: [Duration] = StrataMetrics.latencyBuckets) -> LatencyHistogram {
        let histogram = LatencyHistogram(name: name, labels: labels, buckets: buckets)
        latencies.withLock { families in
            if let index = families.firstIndex(where: { $0.name == name }) {
                families[index].histograms.append(histogram)
            } else {
                families.append((name, help, [histogram]))
            }
        }
        return histogram
    }

    /// Runs `collect` before each scrape: it sets the gauges of state kept elsewhere.
    public func beforeScrape(_ collect: @escaping @Sendable () async -> Void) {
        collectors.withLock { $0.append(collect) }
    }

    /// The text exposition, after every collector has run.
    public func exposition() async -> [UInt8] {
        for collect in collectors.withLock({ $0 }) { await collect() }
        var text = ""
        for family in latencies.withLock({ $0 }) {
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) histogram\n"
            for histogram in family.histograms { histogram.render(into: &text) }
        }
        return registry.emitToBuffer() + Array(text.utf8)
    }
}

/// A Prometheus counter that follows a total kept elsewhere (an atomic count of the pool, say):
/// each scrape adds what the total grew by since the last one.
public final class FollowingCounter: Sendable {
    private let counter: Prometheus.Counter
    private let last = Mutex(0)

    public init(_ counter: Prometheus.Counter) {
        self.counter = counter
    }

    public func follow(_ total: Int) {
        let grown = last.withLock { last -> Int in
            defer { last = max(last, total) }
            return max(0, total - last)
        }
        if grown > 0 { counter.increment(by: Int64(grown)) }
    }
}
