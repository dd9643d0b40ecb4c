import ArgumentParser
import Events
import Logging

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the SQL migrations in order, each in its own transaction.",
        discussion: """
            First creates the roles that are missing: strata_authenticator (the server's login role)
            and each role the YAML declares (roles:, events.role), granted to it; grants on tables
            stay the migrations' to make. Then applies Strata's own migrations and attaches the
            change-event trigger to every table whose YAML enables events (detaching it from the others).
            Records each file in strata.schema_migrations (version, checksum, applied_at). Refuses to
            run, applying nothing, when an applied file was changed or removed. A failing migration is
            rolled back and reported with its file, line and column. SIGTERM or SIGINT stops it at
            once: the file under way rolls back, the embedded PostgreSQL stops. Connect as the
            schema's owner, not as strata_authenticator.
            """)

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Also load the demo data in <migrations>/demo.")
    var withDemoData = false

    func run() async throws {
        let logger = Logger(label: "strata")
        let schema = try SchemaFiles.load(project.schema)
        let interruption = await MigrationInterruption.trap(logger: logger)
        let connections = try await project.openDatabase(loopbackPort: nil, logger: logger)
        await interruption.opened(connections)
        do {
            let outcome = try await connections.migrate(directory: project.migrations, demoData: withDemoData ? .required : .none,
                                                        roles: schema.provisionedRoles, capturing: CapturedTable.all(in: schema),
                                                        handlers: try TriggerHandler.all(in: schema), logger: logger)
            for role in outcome.roles.created { print("created role \(role)") }
            for role in outcome.roles.granted { print("granted \(role) to \(DatabaseConnections.authenticator)") }
            let reports = outcome.reports
            for report in reports {
                for file in report.applied { print("applied \(file)") }
            }
            let total = reports.reduce(0) { $0 + $1.applied.count }
            let already = reports.reduce(0) { $0 + $1.alreadyApplied }
            print("\(total) migration(s) applied, \(already) already applied.")
            await interruption.finish()
            await connections.close(logger: logger)
        } catch {
            await interruption.finish()
            await connections.close(logger: logger)
            throw error
        }
    }
}
