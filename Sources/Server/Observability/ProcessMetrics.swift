import Database
import Prometheus
import Synchronization
import Telemetry

/// The gauges and totals of state the server keeps anyway — the session pool, WebSocket
/// connections, subscriptions — read at each scrape rather than counted twice.
public final class ProcessMetrics: Sendable {
    let metrics: StrataMetrics
    let roles: [String]
    private let busy: Prometheus.Gauge
    private let idle: Prometheus.Gauge
    private let waiting: Prometheus.Gauge
    private let breakerOpen: Prometheus.Gauge
    private let settingsSwitches: FollowingCounter
    private let exhausted: FollowingCounter
    private let breakerRefusals: FollowingCounter
    private let opened: FollowingCounter
    private let batches: FollowingCounter
    private let coalescedRequests: FollowingCounter
    private let messagesSent: FollowingCounter
    private let refusedConnections: FollowingCounter
    private let refreshes: FollowingCounter

    /// - Parameter roles: the roles served, shown at zero until they have connections.
    public init(_ metrics: StrataMetrics, roles: [String]) {
        self.metrics = metrics
        self.roles = roles.sorted()
        let connections = "Database connections of the request pool, by state."
        busy = metrics.gauge("strata_pool_connections", connections, labels: [("state", "busy")])
        idle = metrics.gauge("strata_pool_connections", connections, labels: [("state", "idle")])
        waiting = metrics.gauge("strata_pool_waiting_requests", "Requests waiting for a database connection.")
        breakerOpen = metrics.gauge("strata_pool_circuit_breaker_open", "1 while the circuit breaker refuses requests (the database keeps failing to connect), else 0.")
        settingsSwitches = FollowingCounter(metrics.counter("strata_pool_settings_switches_total",
                                                            "Settings statements run because a connection held another request's role, tenant or user."))
        let refusals = "Requests the pool refused: no connection in time or too many waiting (exhausted), or the circuit breaker open (breaker)."
        exhausted = FollowingCounter(metrics.counter("strata_pool_refusals_total", refusals, labels: [("reason", "exhausted")]))
        breakerRefusals = FollowingCounter(metrics.counter("strata_pool_refusals_total", refusals, labels: [("reason", "breaker")]))
        opened = FollowingCounter(metrics.counter("strata_pool_connections_opened_total", "Database connections the request pool opened."))
        batches = FollowingCounter(metrics.counter("strata_pool_batches_total",
                                                   "Statements that answered several requests of one query at once, coalesced while they waited for a connection."))
        coalescedRequests = FollowingCounter(metrics.counter("strata_pool_coalesced_requests_total",
                                                             "Requests answered by a statement run for several of them (strata_pool_batches_total)."))
        messagesSent = FollowingCounter(metrics.counter("strata_websocket_messages_sent_total", "Messages sent to GraphQL WebSocket clients, every type."))
        refusedConnections = FollowingCounter(metrics.counter("strata_websocket_connections_refused_total",
                                                              "WebSocket connections refused because their tenant held its connection cap."))
        refreshes = FollowingCounter(metrics.counter("strata_live_query_refreshes_total",
                                                     "Live-query cohort refreshes: one statement for every subscriber of the same query."))
    }

    /// Reads the pool, the WebSocket connections and the hub at each scrape.
    public func follow(pools: SessionPools?, sockets: SocketCounters?, hub: SubscriptionHub?) {
        metrics.beforeScrape { [self] in
            if let pools {
                let statistics = pools.statistics, counts = pools.counts
                busy.set(Int64(statistics.open - statistics.idle))
                idle.set(Int64(statistics.idle))
                waiting.set(Int64(statistics.waiting))
                breakerOpen.set(Int64(pools.isBreakerOpen ? 1 : 0))
                settingsSwitches.follow(counts.settingsSwitches)
                exhausted.follow(counts.exhausted)
                breakerRefusals.follow(counts.breakerRefusals)
                opened.follow(counts.opened)
                batches.follow(counts.batches)
                coalescedRequests.follow(counts.coalescedRequests)
            }
            if let sockets {
                let byRole = sockets.connectionsByRole
                for role in Set(roles).union(byRole.keys).sorted() {
                    metrics.gauge("strata_websocket_connections", "Authenticated GraphQL WebSocket connections open, by role.",
                                  labels: [("role", role)]).set(Int64(byRole[role] ?? 0))
                }
                messagesSent.follow(sockets.messagesSent)
                refusedConnections.follow(sockets.refusedConnections)
            }
            if let hub {
                let byRole = hub.subscriptionsByRole
                let help = "Subscriptions kept up to date, by role and kind: live (a query re-run on changes) or stream (batches after a cursor, event channels among them)."
                for role in Set(roles).union(byRole.keys).sorted() {
                    metrics.gauge("strata_subscriptions", help, labels: [("role", role), ("kind", "live")]).set(Int64(byRole[role]?.live ?? 0))
                    metrics.gauge("strata_subscriptions", help, labels: [("role", role), ("kind", "stream")]).set(Int64(byRole[role]?.streams ?? 0))
                }
                refreshes.follow(hub.refreshes)
            }
        }
    }
}
