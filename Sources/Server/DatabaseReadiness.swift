import PostgresNIO

/// Ready when the pool can run `SELECT 1` within the time limit.
public struct DatabaseReadiness: ReadinessCheck {
    let client: PostgresClient
    let timeout: Duration

    public init(client: PostgresClient, timeout: Duration = .seconds(2)) {
        self.client = client
        self.timeout = timeout
    }

    public func check() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.query("SELECT 1") }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw CancellationError()
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}
