import Database
import Events
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

// strata-event-worker URL — an event reader with one handler, "effects", for the crash test: it
// records every delivery it is given in public.effect_attempts on a connection of its own (so the
// record outlives a rolled-back batch), and its effect in public.effects in the delivery's
// transaction, where a second effect of one event would break the primary key. It pauses a
// little on each event so that a kill lands in the middle of a batch. Runs until SIGTERM or SIGINT.

struct EffectHandler: EventHandler {
    let name = "effects"
    let tables: [String]? = nil
    let connection: PostgresConnection
    let logger: Logger

    func handle(_ events: [ChangeEvent], in transaction: HandlerTransaction) async throws {
        for event in events {
            try await connection.query("INSERT INTO public.effect_attempts (event_id) VALUES (\(event.id))", logger: logger)
            try await transaction.connection.query("""
                INSERT INTO public.effects (idempotency_key, event_id) VALUES (\(event.idempotencyKey(handler: name)), \(event.id))
                """, logger: transaction.logger)
            try await Task.sleep(for: .milliseconds(25))
        }
    }
}

let logger = Logger(label: "strata.event-worker")
guard CommandLine.arguments.count == 2, let endpoint = try? DatabaseEndpoint(url: CommandLine.arguments[1]) else {
    FileHandle.standardError.write(Data("usage: strata-event-worker POSTGRES_URL\n".utf8))
    exit(2)
}
let connection = try await PostgresConnection.connect(configuration: endpoint.connectionConfiguration(), id: 1, logger: logger)
let reader = EventReader(configuration: .init(endpoint: endpoint, batchSize: 20, pollInterval: .milliseconds(200)),
                         handlers: [EffectHandler(connection: connection, logger: logger)], logger: logger)
print("worker running")
let group = ServiceGroup(configuration: .init(services: [reader], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
let _: Void = try await connection.close()
