import Database
import Events
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

// strata-bench-event-lag URL — an event reader with one handler, "lag-probe", for
// scripts/bench-mutations: it records when it handled each event in public.bench_event_handled
// (which the script creates) in the transaction that acknowledges them, so the script can set that against the writing transaction's commit
// time. Runs until SIGTERM or SIGINT.

struct LagProbe: EventHandler {
    let name = "lag-probe"
    let tables: [String]? = nil

    func handle(_ events: [ChangeEvent], in transaction: HandlerTransaction) async throws {
        try await transaction.connection.query("""
            INSERT INTO public.bench_event_handled (event_id, handled_at) SELECT unnest(\(events.map(\.id))::bigint[]), clock_timestamp()
            """, logger: transaction.logger)
    }
}

let logger = Logger(label: "strata.bench-event-lag")
guard CommandLine.arguments.count == 2, let endpoint = try? DatabaseEndpoint(url: CommandLine.arguments[1]) else {
    FileHandle.standardError.write(Data("usage: strata-bench-event-lag POSTGRES_URL\n".utf8))
    exit(2)
}
let reader = EventReader(configuration: .init(endpoint: endpoint, batchSize: 100, pollInterval: .milliseconds(500)),
                         handlers: [LagProbe()], logger: logger)
print("probe running")
let group = ServiceGroup(configuration: .init(services: [reader], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
