import ArgumentParser
import Database
import Foundation
import Logging
import SchemaModel

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the YAML schema against the live database.",
        discussion: """
            Loads the YAML, connects to the database and verifies every table, column, type,
            nullability, key, relationship (backed by a foreign key) and computed-field function;
            that every tenant table has row-level security enabled and forced; and that every role
            exists, may be assumed by strata_authenticator and is granted the columns, tables and
            functions its permissions use. Prints each
            mismatch as file:line:column and exits 1, or prints OK and exits 0. Notes follow for
            tables a role may read but not subscribe to (their writes are not all captured).
            """)

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let schema = try SchemaFiles.load(project.schema)
        let logger = Logger(label: "strata")
        let connections = try await project.openDatabase(loopbackPort: nil, logger: logger)
        let check: SchemaCheck
        do {
            check = try await SchemaCheck.reading(schema, through: connections.owner, logger: logger)
            await connections.close(logger: logger)
        } catch {
            await connections.close(logger: logger)
            throw error
        }
        let mismatches = check.mismatches()
        guard mismatches.isEmpty else {
            print(mismatches.map(\.description).joined(separator: "\n"))
            throw ExitCode.failure
        }
        print("OK: \(schema.tables.count) tables match the database.")
        for gap in SubscriptionCoverage.gaps(in: schema) { print(gap) }
    }
}
