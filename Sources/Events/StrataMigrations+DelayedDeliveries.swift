import Database

extension StrataMigrations {
    /// The claim of a batch first looks for each tenant's deliveries waiting to be tried again
    /// (`available_at` in the future), which keep the tenant's later events back. Only a failed
    /// attempt delays a delivery, so those have `attempts > 0`: this index holds them alone, and
    /// the look costs nothing however long the queue. Without it, it read every delivery of the
    /// handler — 3 ms a batch behind a backlog of 40,000.
    static let delayedDeliveries = Migration(version: "strata/0011", number: 11, name: "0011_delayed_deliveries",
                                             displayPath: "strata/0011_delayed_deliveries.sql", sql: #"""
        CREATE INDEX event_deliveries_delayed ON strata.event_deliveries (handler, tenant_id, event_id) WHERE attempts > 0 AND NOT dead;
        """#)
}
