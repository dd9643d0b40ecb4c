import Database

extension StrataMigrations {
    /// Handlers declared in the YAML (event triggers) are marked, so `strata migrate` can drop
    /// those the YAML no longer declares — with their pending deliveries — and leave handlers
    /// registered by code alone.
    static let declaredHandlers = Migration(version: "strata/0005", number: 5, name: "0005_declared_handlers",
                                            displayPath: "strata/0005_declared_handlers.sql", sql: #"""
        ALTER TABLE strata.event_handlers ADD COLUMN declared boolean NOT NULL DEFAULT false;
        """#)
}
