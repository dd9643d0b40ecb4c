import Database
import Events
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

// strata-bench-event-lag URL — an event reader with one handler, "lag-probe", for
// scripts/bench-mutations: it records when it handled each event in public.bench_event_handled
// (which the script creates), so the script can set that against the writing transaction's commit
// time. Runs until SIGTERM or SIGINT.

struct LagProbe: EventHandler {
    let name = "lag-probe"
    let tables: [String]? = nil
    let connection: PostgresConnection
    let logger: Logger

    func handle(_ event: ChangeEvent) async throws {
        try await connection.query("""
            INSERT INTO public.bench_event_handled (event_id, handled_at) VALUES (\(event.id), clock_timestamp())
            ON CONFLICT (event_id) DO NOTHING
            """, logger: logger)
    }
}

let logger = Logger(label: "strata.bench-event-lag")
guard CommandLine.arguments.count == 2, let endpoint = try? DatabaseEndpoint(url: CommandLine.arguments[1]) else {
    FileHandle.standardError.write(Data("usage: strata-bench-event-lag POSTGRES_URL\n".utf8))
    exit(2)
}
let connection = try await PostgresConnection.connect(configuration: endpoint.connectionConfiguration(), id: 1, logger: logger)
let reader = EventReader(configuration: .init(endpoint: endpoint, batchSize: 100, pollInterval: .milliseconds(500)),
                         handlers: [LagProbe(connection: connection, logger: logger)], logger: logger)
print("probe running")
let group = ServiceGroup(configuration: .init(services: [reader], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
let _: Void = try await connection.close()
