import APISchema
import ArgumentParser
import Database
import Foundation
import GraphQLLanguage
import GraphQLTypeSystem
import GraphQLValidation
import Logging
import Planner
import SQL

/// Shows the one statement an operation becomes, and what each placeholder is bound to; with
/// `--analyze`, PostgreSQL's plan and timings for it, run as the role under row-level security.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print the SQL and binds a GraphQL operation runs as; --analyze runs EXPLAIN ANALYZE (rolled back).",
        discussion: """
            The operation is parsed, validated and planned against the role's API, as the server does.
            --analyze connects to the configured (or embedded) database as strata_authenticator, sets the
            request's settings in a transaction, runs EXPLAIN (ANALYZE, BUFFERS) and rolls back.
            """)

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("The role whose API the operation is planned against.", valueName: "role"))
    var role: String

    @ArgumentParser.Argument(help: ArgumentHelp("A file holding the GraphQL document.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The variables, as a JSON object.", valueName: "json"))
    var variables: String?

    @Option(name: .customLong("operation"), help: ArgumentHelp("The operation to plan, when the document has several.", valueName: "name"))
    var operationName: String?

    @Option(help: ArgumentHelp("The session's tenant id (for binds and --analyze).", valueName: "id"))
    var tenant: String?

    @Option(help: ArgumentHelp("The session's user id (for binds and --analyze).", valueName: "id"))
    var user: String?

    @Flag(help: "Run EXPLAIN ANALYZE on the database.")
    var analyze = false

    func run() async throws {
        let schemaProject = try SchemaFiles.load(project.schema)
        guard schemaProject.roleNames.contains(role) else {
            throw UsageError(message: "unknown role '\(role)'; the project serves \(schemaProject.roleNames.joined(separator: ", "))")
        }
        let api = try SchemaFiles.api(schemaProject, role: role)
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw UsageError(message: "cannot read \(file): \(error.localizedDescription)")
        }
        var values: [String: JSONValue] = [:]
        if let variables {
            guard case .object(let members)? = try? JSONValue.parse(variables) else {
                throw UsageError(message: "--variables must be a JSON object")
            }
            values = Dictionary(members, uniquingKeysWith: { $1 })
        }
        let plan: QueryPlan
        do {
            let document = try Parser.parse(Source(text, name: file))
            let errors = Validator.validate(document, against: api.schema, maxSelectionDepth: api.limits.maxDepth, maxFields: api.limits.maxFields)
            guard errors.isEmpty else { throw GraphQLErrors(errors) }
            let operation = try OperationSelection.select(in: document, named: operationName)
            _ = try VariableCoercion(schema: api.schema).coerce(operation.variableDefinitions, inputs: values).get()
            plan = try OperationPlanner.plan(document, operationName: operationName, api: api, variables: values)
        } catch let error as GraphQLErrors {
            FileHandle.standardError.write(Data((error.errors.map { "\(file):\($0.locations.first.map { "\($0.line):\($0.column): " } ?? " ")\($0.message)" }
                .joined(separator: "\n") + "\n").utf8))
            throw ExitCode.failure
        } catch let error as GraphQLError {
            FileHandle.standardError.write(Data("\(file): \(error.message)\n".utf8))
            throw ExitCode.failure
        }
        let session = Session(role: role, tenantID: tenant, userID: user,
                              claimsJSON: JSONValue.object([("role", .string(role))] + (tenant.map { [("tenant_id", .string($0))] } ?? [])
                                  + (user.map { [("sub", .string($0))] } ?? [])).serialized)
        if case .constant(let data) = plan.body {
            print("-- answered without SQL:")
            print(data.serialized)
            return
        }
        let statements = plan.statements
        for (number, statement) in statements.enumerated() {
            if statements.count > 1 { print((number > 0 ? "\n" : "") + "-- statement \(number + 1) of \(statements.count)") }
            print(statement.sql)
            let binds = statement.parameters.map { $0.value(variables: values, session: session) }
            for (index, (parameter, value)) in zip(statement.parameters, binds).enumerated() {
                print("-- $\(index + 1) = \(parameter)" + (parameter.isConstant ? "" : "  → \(value.shown)"))
            }
            // Each statement is analyzed in a transaction of its own that is rolled back, so a
            // mutation's later statements do not see its earlier ones' writes here.
            if analyze { try await explainAnalyze(statement.sql, binds: binds, session: session) }
        }
        if let cohort = plan.cohort {
            // What refreshes this live query: its cohort's statement, here with this session alone.
            try await explainMany(cohort, heading: "refreshed with the other subscribers of its cohort (same plan, role and tenant) by",
                                  values: values, session: session,
                                  runAs: Session(role: session.role, tenantID: session.tenantID, claimsJSON: "{}"))
        }
        if let batch = plan.batch {
            try await explainMany(batch, heading: "run with concurrent requests of the same plan and session, when they wait for a connection, as",
                                  values: values, session: session, runAs: session)
        }
        if plan.stream != nil {
            print("-- a stream: each run binds the cursor reached so far to the variable $@cursor")
        }
    }

    /// A statement for many members, printed with this session's values as its one member.
    private func explainMany(_ many: CohortPlan, heading: String, values: [String: JSONValue], session: Session, runAs: Session) async throws {
        print("\n-- " + heading + ":")
        print(many.sql)
        let binds = many.bindValues(members: [CohortPlan.member(many.memberValues(variables: values, session: session))])
        for (index, (bind, value)) in zip(many.binds, binds).enumerated() {
            print("-- $\(index + 1) = " + (bind == .members ? "each member's values  → \(value.shown)" : value.shown))
        }
        if analyze { try await explainAnalyze(many.sql, binds: binds, session: runAs) }
    }

    private func explainAnalyze(_ sql: String, binds: [SQLValue], session: Session) async throws {
        let logger = Logger(label: "strata")
        let connections = try await project.openDatabase(loopbackPort: nil, logger: logger)
        let settings = ConnectionSettings(role: session.role, tenantID: session.tenantID, userID: session.userID, claims: session.claimsJSON)
        let lines: [String]
        do {
            lines = try await StatementExplanation.analyze(sql, binds: binds, settings: settings, endpoint: connections.server, logger: logger)
        } catch {
            await connections.close(logger: logger)
            throw error
        }
        print("")
        for line in lines { print(line) }
        await connections.close(logger: logger)
    }
}

extension PlanParameter {
    var isConstant: Bool {
        if case .value = self { return true }
        return false
    }
}

extension SQLValue {
    var shown: String {
        switch self {
        case .null: "null"
        case .text(let text): JSONText.quoted(text)
        case .textArray(let items): "[" + items.map(JSONText.quoted).joined(separator: ", ") + "]"
        }
    }
}
