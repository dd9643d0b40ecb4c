import PostgresNIO

/// Waiting for background work (event triggers, workers) to reach a state.
public enum BackgroundWait {
    /// Polls `query`'s one value until it is `expected` or a minute passes — generous, for a
    /// loaded machine; returns the last value seen.
    @discardableResult
    public static func until(_ database: TestDatabase, _ query: PostgresQuery, is expected: String) async throws -> String? {
        let deadline = ContinuousClock.now + .seconds(60)
        var value: String?
        while ContinuousClock.now < deadline {
            value = try await database.rows(query).first?.first ?? nil
            if value == expected { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return value
    }
}
