import ArgumentParser
import Database
import Events
import Foundation
import Logging
import ServiceLifecycle

/// `strata events`: watching change events and re-queuing dead letters.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Follow change events, or re-queue a dead letter.",
        subcommands: [EventsTailCommand.self, EventsRetryCommand.self])
}

struct EventsTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print change events as they settle, in transaction order, one JSON object per line, until Ctrl-C.",
        discussion: """
            Each line: {"id", "tenant_id", "table", "op", "primary_key", "old", "new", "actor", "created_at"}.
            An event is printed once every transaction that began before it has ended, so none can
            commit before one already printed.
            """)

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("Only this tenant's events.", valueName: "id"))
    var tenant: String?

    @Option(help: ArgumentHelp("Start after this event id (default: only events from now on).", valueName: "id"))
    var after: Int64?

    func run() async throws {
        let logger = Logger(label: "strata")
        let connections = try await project.openDatabase(loopbackPort: nil, logger: logger)
        let tail = EventTail(endpoint: connections.server, tenant: tenant, after: after, logger: logger) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        var services: [any Service] = [tail]
        if let lease = connections.lease { services.append(ClusterLeaseService(lease: lease, logger: logger)) }
        let group = ServiceGroup(configuration: .init(
            services: services.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
            await connections.close(logger: logger)
        } catch {
            await connections.close(logger: logger)
            throw error
        }
    }
}

struct EventsRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put a dead-lettered event back in its handlers' queues.",
        discussion: "The event readers pick it up again within a second, with its attempts reset.")

    @OptionGroup var project: ProjectOptions

    @Argument(help: ArgumentHelp("The event's id.", valueName: "id"))
    var id: Int64

    @Option(help: ArgumentHelp("Only this handler's dead letter for the event.", valueName: "name"))
    var handler: String?

    func run() async throws {
        let logger = Logger(label: "strata")
        let connections = try await project.openDatabase(loopbackPort: nil, logger: logger)
        let requeued: Int
        do {
            requeued = try await EventDeliveries.retry(handler, event: id, on: connections.server, logger: logger)
            await connections.close(logger: logger)
        } catch {
            await connections.close(logger: logger)
            throw error
        }
        guard requeued > 0 else {
            throw LaunchError(message: "event \(id) has no dead letter\(handler.map { " for handler '\($0)'" } ?? "")")
        }
        print("re-queued event \(id) for \(requeued) handler(s)")
    }
}
