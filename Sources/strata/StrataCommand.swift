import ArgumentParser
import Foundation
import Logging

/// `strata`: the GraphQL-to-SQL server and its tools.
///
/// Exit codes: 0 success, 1 failure, 2 usage error (bad flags or settings).
@main
struct StrataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "GraphQL API server for PostgreSQL, with row-level security per tenant.",
        discussion: """
            Without a database URL, Strata starts its own PostgreSQL under --data-dir.
            Exit codes: 0 success, 1 failure, 2 usage error.
            """,
        version: StrataVersion.current,
        subcommands: [DevCommand.self, ServeCommand.self, MigrateCommand.self, InitCommand.self, CheckCommand.self, SchemaCommand.self, ValidateCommand.self, TokenCommand.self, ExplainCommand.self, EventsCommand.self, WorkerCommand.self, QueriesCommand.self, FormatCommand.self,
                      VersionCommand.self])

    static func main() async {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let format = LogFormat.requested(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
        LoggingSystem.bootstrap { label in StrataLogHandler(label: label, format: format, logLevel: level) }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            finish(with: error)
        }
    }

    /// Prints what went wrong (or the help asked for) and exits with 0, 1 or 2.
    static func finish(with error: any Error) -> Never {
        LogOutput.flush()
        switch error {
        case let error as UsageError:
            printError("Error: \(error.message)")
            Foundation.exit(2)
        case let code as ExitCode:
            Foundation.exit(code.rawValue)
        default:
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            printError(message)
            Foundation.exit(code == .validationFailure ? 2 : 1)
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// A setting given in a form Strata cannot use; the process exits with code 2.
struct UsageError: Error {
    var message: String
}

enum StrataVersion {
    static let current = "0.1.0"
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Strata's version.")

    func run() {
        print("strata \(StrataVersion.current)")
    }
}
