import ArgumentParser
import Database
import Foundation
import Events
import Logging
import UnixSignals

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the SQL migrations in order, each in its own transaction.",
        discussion: """
            Then applies Strata's own migrations and attaches the change-event trigger to every table
            whose YAML enables events (detaching it from the others).
            Records each file in strata.schema_migrations (version, checksum, applied_at). Refuses to
            run, applying nothing, when an applied file was changed or removed. A failing migration is
            rolled back and reported with its file, line and column. Connect as the schema's owner,
            not as strata_authenticator.
            """)

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Also load the demo data in <migrations>/demo.")
    var withDemoData = false

    func run() async throws {
        let logger = Logger(label: "strata")
        let schema = try SchemaFiles.load(project.schema)
        let connections = try await project.openDatabase(loopbackPort: nil, logger: logger)
        do {
            // SIGTERM or SIGINT stops the run at once: the embedded PostgreSQL is stopped (a
            // database elsewhere rolls the file under way back when the connection drops), and
            // the command says what stays applied.
            let watcher = Task {
                for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                    await connections.close(logger: logger)
                    FileHandle.standardError.write(Data("strata: \(Interrupted(signal: "\(signal)"))\n".utf8))
                    Foundation.exit(signal == .sigint ? 130 : 143)
                }
            }
            defer { watcher.cancel() }
            let reports = try await connections.migrate(directory: project.migrations, withDemoData: withDemoData,
                                                        capturing: CapturedTable.all(in: schema),
                                                        handlers: try TriggerHandler.all(in: schema), logger: logger)
            for report in reports {
                for file in report.applied { print("applied \(file)") }
            }
            let total = reports.reduce(0) { $0 + $1.applied.count }
            let already = reports.reduce(0) { $0 + $1.alreadyApplied }
            print("\(total) migration(s) applied, \(already) already applied.")
            await connections.close(logger: logger)
        } catch {
            await connections.close(logger: logger)
            throw error
        }
    }
}

/// `strata migrate` stopped by a signal: what was applied before stays, the file under way does not.
struct Interrupted: Error, CustomStringConvertible {
    var signal: String
    var description: String {
        "stopped by \(signal): the migrations applied before it stay applied; the one under way was rolled back. Run strata migrate again to go on."
    }
}
