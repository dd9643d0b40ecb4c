import Database
import Logging
import PostgresNIO
import ServiceLifecycle

/// The shared tier of rate limiting, across every `strata` process on the database: every
/// `interval` it adds the tokens this process took, per bucket and second, to
/// `strata.rate_usage` (one statement) and reads back what all processes took in that second;
/// a bucket at its rate then refuses everyone in every process until the next second. The local
/// buckets still answer each request with no round trip.
///
/// Bound: in one second, a bucket admits at most its rate, plus what the processes admit before
/// they learn it is used up — each at most its local burst plus `interval` of its rate. While
/// the database cannot be reached, only the local tier applies.
public final class SharedRateLimits: Service, Sendable {
    let limiter: RateLimiter
    let endpoint: DatabaseEndpoint
    let interval: Duration
    let logger: Logger

    public init(limiter: RateLimiter, endpoint: DatabaseEndpoint, interval: Duration = .milliseconds(250), logger: Logger) {
        self.limiter = limiter
        self.endpoint = endpoint
        self.interval = interval
        self.logger = logger
        limiter.share()
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.follow() }
    }

    /// Adds the tokens taken to the shared counts and notes the buckets every process together
    /// has used up.
    func tell(_ pending: [(window: Int, used: [(key: String, tokens: Int)])], on connection: PostgresConnection) async throws {
        for (window, used) in pending {
            let rows = try await connection.query("""
                SELECT bucket, total FROM strata.count_rate_usage(\(used.map(\.key)), \(used.map { Int64($0.tokens) }), \(Int64(window)))
                """, logger: logger)
            var totals: [(key: String, used: Int)] = []
            for try await (key, total) in rows.decode((String, Int64).self) { totals.append((key, Int(total))) }
            limiter.noteShared(totals, window: window)
        }
    }

    private func follow() async {
        var connection: PostgresConnection?
        var failing = false
        while !Task.isCancelled {
            try? await Task.sleep(for: self.interval)
            let pending = self.limiter.takePending()
            guard !pending.isEmpty else { continue }
            do {
                if connection == nil || connection?.isClosed == true {
                    var configuration = try self.endpoint.connectionConfiguration()
                    configuration.options.connectTimeout = .seconds(2)
                    configuration.options.additionalStartupParameters = [("statement_timeout", "2000"), ("application_name", "strata rate limits")]
                    connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: self.logger)
                }
                guard let connection else { continue }
                try await self.tell(pending, on: connection)
                if failing { self.logger.notice("rate limits are shared across processes again") }
                failing = false
            } catch {
                if !failing {
                    self.logger.warning("rate limits cannot be shared across processes; each process limits on its own meanwhile",
                                        metadata: ["error": "\(String(reflecting: error))"])
                }
                failing = true
                try? await connection?.close()
                connection = nil
            }
        }
        try? await connection?.close()
    }
}
