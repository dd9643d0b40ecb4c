import Prometheus
import Telemetry

/// The background workers' instruments: how long events wait for their handlers, how many are
/// handled and how many attempts fail, and the scheduler's runs. Handler names come from the
/// YAML, so their label is bounded.
public struct EventMetrics: Sendable {
    public let metrics: StrataMetrics
    let scheduledRuns: Prometheus.Counter
    let scheduledFailures: Prometheus.Counter

    public init(_ metrics: StrataMetrics) {
        self.metrics = metrics
        let help = "Scheduled runs (a schedule's slot, or a one-off scheduled event) by outcome."
        scheduledRuns = metrics.counter("strata_scheduled_runs_total", help, labels: [("outcome", "ok")])
        scheduledFailures = metrics.counter("strata_scheduled_runs_total", help, labels: [("outcome", "failed")])
    }

    /// Records events handled by `handler`, each `lag` after it was written.
    func handled(_ handler: String, lags: [Duration]) {
        guard !lags.isEmpty else { return }
        let histogram = metrics.histogram("strata_event_handler_lag_seconds",
                                          "Time from a change event's transaction to its handler's commit, by handler.",
                                          labels: [("handler", handler)])
        for lag in lags { histogram.record(lag) }
        metrics.counter("strata_events_handled_total", "Change events handled, by handler.", labels: [("handler", handler)])
            .increment(by: Int64(lags.count))
    }

    /// Counts a failed attempt of `handler`: retried later, or a dead letter.
    func failed(_ handler: String, dead: Bool) {
        metrics.counter("strata_event_failures_total", "Failed handler attempts, by handler and what became of the delivery (retry or dead).",
                        labels: [("handler", handler), ("result", dead ? "dead" : "retry")]).increment()
    }
}
