import Database
import Logging
import NIOCore
import PostgresNIO
import Prometheus
import Telemetry

/// The deliveries queue as `/metrics` shows it, read at each scrape on a connection of its own
/// (opened at the first scrape, kept, bounded by a two-second connect and statement timeout so a
/// sick database cannot hang a scrape): deliveries waiting for their first attempt, waiting for
/// a retry, dead letters, and the age of the oldest waiting event.
public actor EventBacklog {
    let endpoint: DatabaseEndpoint
    let logger: Logger
    private var connection: PostgresConnection?
    private let pending: Prometheus.Gauge
    private let retrying: Prometheus.Gauge
    private let dead: Prometheus.Gauge
    private let oldest: Prometheus.Gauge
    private let failures: Prometheus.Counter

    public init(endpoint: DatabaseEndpoint, metrics: StrataMetrics, logger: Logger) {
        self.endpoint = endpoint
        self.logger = logger
        let help = "Event deliveries queued for handlers, by state: new (not tried yet), retrying (a failed attempt, waiting) or dead (given up)."
        pending = metrics.gauge("strata_event_deliveries", help, labels: [("state", "new")])
        retrying = metrics.gauge("strata_event_deliveries", help, labels: [("state", "retrying")])
        dead = metrics.gauge("strata_event_deliveries", help, labels: [("state", "dead")])
        oldest = metrics.gauge("strata_event_backlog_age_seconds", "Age of the oldest change event still waiting for a handler (0 when none waits).")
        failures = metrics.counter("strata_metrics_collection_failures_total", "Scrapes that could not read a value from the database.",
                                   labels: [("source", "event_deliveries")])
    }

    /// Reads the queue and sets the gauges; on failure keeps the last values and counts it.
    public func collect() async {
        do {
            let connection = try await open()
            let rows = try await connection.query("""
                SELECT count(*) FILTER (WHERE NOT dead AND attempts = 0), count(*) FILTER (WHERE NOT dead AND attempts > 0),
                       count(*) FILTER (WHERE dead),
                       coalesce((SELECT extract(epoch FROM clock_timestamp() - created_at)::float8 FROM strata.change_events
                                 WHERE id = (SELECT min(event_id) FROM strata.event_deliveries WHERE NOT dead)), 0)
                FROM strata.event_deliveries
                """, logger: logger)
            for try await (new, waiting, given, age) in rows.decode((Int64, Int64, Int64, Double).self) {
                pending.set(new)
                retrying.set(waiting)
                dead.set(given)
                oldest.set(age)
            }
        } catch {
            failures.increment()
            logger.warning("reading the event backlog for metrics failed", metadata: ["error": "\(EventReader.describe(error))"])
            try? await connection?.close()
            connection = nil
        }
    }

    private func open() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration = try endpoint.connectionConfiguration()
        configuration.options.connectTimeout = .seconds(2)
        configuration.options.additionalStartupParameters = [("statement_timeout", "2000"), ("application_name", "strata metrics")]
        let opened = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        connection = opened
        return opened
    }

    /// Closes its connection.
    public func close() async {
        try? await connection?.close()
        connection = nil
    }
}
