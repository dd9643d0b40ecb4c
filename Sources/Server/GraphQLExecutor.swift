import APISchema
import Database
import Events
import GraphQLLanguage
import GraphQLTypeSystem
import GraphQLValidation
import Logging
import NIOCore
import Planner
import SchemaModel
import SQL
import Synchronization
import Telemetry

/// Runs GraphQL requests for sessions: parse, validate against the session role's API, coerce
/// the variables, plan (all cached), and run the plan's one statement on the session pool.
public final class GraphQLExecutor: Sendable {
    /// What became of a request.
    public enum Outcome: Sendable {
        /// The `data` object's JSON, as PostgreSQL built it.
        case data(ByteBuffer)
        /// The request was refused before execution (syntax, validation, variables): no `data`.
        case requestErrors([GraphQLError])
        /// Execution failed: `data` is null.
        case executionErrors([GraphQLError])
    }

    /// A request ready to run, once its operation's kind has been checked against the method.
    public struct Prepared: Sendable {
        public let operation: OperationType
        /// The operation's name in the document, if it has one.
        public let operationName: String?
        let entry: PlanCache.Entry
        let variables: [String: JSONValue]
        let session: Session

        /// Whether running it reaches the database (else its answer is known already).
        public var needsDatabase: Bool { !entry.statements.isEmpty }
        /// The tables its statement reads, by API name.
        public var readTables: Set<String> { entry.plan.readTables }
        /// The operation's estimated cost: fields × depth, fragments expanded.
        public var cost: Int { entry.cost }
        /// Its first statement's name, a hash of the SQL: the same for every request of the plan.
        public var fingerprint: String? { entry.statements.first?.name }
        /// The caller's trace, shown in `pg_stat_activity` while its statements run.
        public var trace: TraceContext?
    }

    let apis: [String: RoleSchema]
    let pools: SessionPools?
    let cache = PlanCache()
    let limits: ParserLimits
    let logger: Logger
    let report: DatabaseErrorReport
    /// Counts the caches' hits and misses; nil counts nothing.
    let metrics: RequestMetrics?
    /// The project's trusted documents, and whether clients may send anything else.
    let trusted: TrustedDocuments
    /// Each pool part's coalesced queries, by the part's identity.
    let batches: [ObjectIdentifier: RequestBatches]
    /// Each pool part's coalesced single-statement mutations, by the part's identity.
    let writeBatches: [ObjectIdentifier: RequestBatches]

    /// - Parameter pools: where statements run, each on the pool of the calling event loop; nil
    ///   serves introspection only (for tests).
    public init(apis: [String: RoleSchema], pools: SessionPools?, limits: ParserLimits, logger: Logger,
                metrics: RequestMetrics? = nil, trusted: TrustedDocuments = TrustedDocuments(mode: .off)) {
        self.trusted = trusted
        self.apis = apis
        self.pools = pools
        var batches: [ObjectIdentifier: RequestBatches] = [:]
        var writeBatches: [ObjectIdentifier: RequestBatches] = [:]
        for pool in pools?.partitions ?? [] where pool.configuration.scope == .session && pool.configuration.coalescesRequests {
            batches[ObjectIdentifier(pool)] = RequestBatches(pool: pool, kind: .reads)
            writeBatches[ObjectIdentifier(pool)] = RequestBatches(pool: pool, kind: .writes)
        }
        self.batches = batches
        self.writeBatches = writeBatches
        self.limits = limits
        self.logger = logger
        self.metrics = metrics
        self.report = DatabaseErrorReport(tables: apis.values.first?.tables.values.map(\.table) ?? [], logger: logger)
    }

    /// What `prepare` made of a request.
    public enum Preparation: Sendable {
        case ready(Prepared)
        /// Refused before execution (syntax, validation, variables, planning).
        case refused(GraphQLErrors)
        /// The operation is a mutation or subscription and the request may only read (GET).
        case readOnlyRequest(OperationType)
    }

    /// Parses, validates, coerces and plans, from the caches when it can. A request that may
    /// only read (GET) is refused before anything is planned if its operation writes.
    public func prepare(_ request: GraphQLRequest, session: Session, readOnly: Bool = false, subscriptions: Bool = false) -> Preparation {
        prepare(request, session: session, readOnly: readOnly, subscriptions: subscriptions, trace: nil)
    }

    /// `prepare`, recording the parse, validate and plan stages it goes through in `trace`.
    func prepare(_ request: GraphQLRequest, session: Session, readOnly: Bool = false, subscriptions: Bool = false,
                 trace: RequestTrace?) -> Preparation {
        switch prepareResult(request, session: session, readOnly: readOnly, subscriptions: subscriptions, trace: trace) {
        case .success(let prepared): return .ready(prepared)
        case .failure(.errors(let errors)): return .refused(errors)
        case .failure(.readOnly(let operation)): return .readOnlyRequest(operation)
        }
    }

    private enum Refusal: Error {
        case errors(GraphQLErrors)
        case readOnly(OperationType)
    }

    private func prepareResult(_ sent: GraphQLRequest, session: Session, readOnly: Bool, subscriptions: Bool,
                               trace: RequestTrace?) -> Result<Prepared, Refusal> {
        guard let api = apis[session.role] else {
            return .failure(.errors(GraphQLErrors([GraphQLError("The role '\(session.role)' is not served.", code: ErrorCode.accessDenied)])))
        }
        let request: GraphQLRequest
        switch trusted.resolve(sent) {
        case .success(let resolved): request = resolved
        case .failure(let error): return .failure(.errors(GraphQLErrors([error])))
        }
        let key = PlanCache.key(query: request.query, role: session.role)
        let document: Document
        if let cached = cache.document(key) {
            metrics?.documentHits.increment()
            document = cached
        } else {
            metrics?.documentMisses.increment()
            let parsing = trace.map { _ in RequestTrace.now }
            do {
                document = try Parser.parse(Source(request.query), limits: limits)
            } catch {
                trace?.stage("graphql.parse", since: parsing)
                return .failure(.errors(GraphQLErrors([error])))
            }
            trace?.stage("graphql.parse", since: parsing)
            let validating = trace.map { _ in RequestTrace.now }
            let errors = Validator.validate(document, against: api.schema, maxSelectionDepth: api.limits.maxDepth,
                                            maxFields: api.limits.maxFields)
            trace?.stage("graphql.validate", since: validating, attributes: ["graphql.validation.errors": .int64(Int64(errors.count))])
            guard errors.isEmpty else { return .failure(.errors(GraphQLErrors(errors))) }
            cache.store(document, for: key)
        }
        let operation: OperationDefinition
        do {
            operation = try OperationSelection.select(in: document, named: request.operationName)
        } catch {
            return .failure(.errors(error))
        }
        if operation.operation == .subscription, !subscriptions {
            return .failure(.errors(GraphQLErrors([GraphQLError("Subscription operations are served over WebSocket: open one on /graphql (graphql-transport-ws or graphql-ws).",
                                                                locations: [operation.location.sourceLocation], code: ErrorCode.notSupported)])))
        }
        if readOnly && operation.operation == .mutation { return .failure(.readOnly(operation.operation)) }
        if case .failure(let errors) = VariableCoercion(schema: api.schema).coerce(operation.variableDefinitions, inputs: request.variables) {
            return .failure(.errors(errors))
        }
        let definitions = operation.variableDefinitions
        let name = operation.name.map { String($0.value) }
        if let entry = cache.plan(key, operationName: request.operationName, definitions: definitions, variables: request.variables) {
            metrics?.planHits.increment()
            return .success(Prepared(operation: operation.operation, operationName: name, entry: entry, variables: request.variables, session: session))
        }
        metrics?.planMisses.increment()
        let planning = trace.map { _ in RequestTrace.now }
        let plan: QueryPlan
        do {
            plan = try OperationPlanner.plan(document, operationName: request.operationName, api: api, variables: request.variables)
        } catch {
            trace?.stage("graphql.plan", since: planning)
            return .failure(.errors(error))
        }
        let entry = PlanCache.Entry(plan: plan, cost: OperationCost.estimate(operation, in: document))
        trace?.stage("graphql.plan", since: planning, attributes: ["strata.statements": .int64(Int64(entry.statements.count))])
        cache.store(entry, document: key, operationName: request.operationName, definitions: definitions, variables: request.variables)
        return .success(Prepared(operation: operation.operation, operationName: name, entry: entry, variables: request.variables, session: session))
    }

    /// Runs a prepared request. Cancelling the task or `cancellation` cancels its statement.
    public func run(_ prepared: Prepared, cancellation: QueryCancellation? = nil) async -> Outcome {
        let plan = prepared.entry.plan
        switch plan.body {
        case .constant:
            return .data(prepared.entry.constantData ?? ByteBuffer(string: "null"))
        case .statement(_, let parameters):
            guard let pool = pools?.current, let statement = prepared.entry.statements.first else {
                return .executionErrors([GraphQLError("This server has no database.", code: ErrorCode.internalError)])
            }
            let session = prepared.session
            let binds = parameters.map { $0.value(variables: prepared.variables, session: session) }
            do {
                let bytes: ByteBuffer?
                if let batch = prepared.entry.plan.batch, let batchStatement = prepared.entry.batchStatement,
                   let batches = batches[ObjectIdentifier(pool)] {
                    bytes = try await batches.query(statement, binds: binds, batch: batchStatement, plan: batch,
                                                    values: { CohortPlan.member(batch.memberValues(variables: prepared.variables, session: session)) },
                                                    settings: Self.settings(prepared), cancellation: cancellation)
                } else {
                    bytes = try await pool.query(statement, binds: binds, settings: Self.settings(prepared), cancellation: cancellation)
                }
                return .data(bytes ?? ByteBuffer(string: "null"))
            } catch {
                return .executionErrors([report.clientError(for: error, path: [])])
            }
        case .mutation(let fields):
            guard let pool = pools?.current else {
                return .executionErrors([GraphQLError("This server has no database.", code: ErrorCode.internalError)])
            }
            return await runMutation(fields, statements: prepared.entry.statements, prepared: prepared, pool: pool, cancellation: cancellation)
        }
    }

    /// Runs a mutation's fields in order and joins their JSON into `data`. A mutation of one
    /// statement runs without a transaction of its own, one round trip — alone, or with other
    /// such writes waiting for a connection (`RequestBatches`): PostgreSQL commits it as it ends, before it sends
    /// the end of the answer (`ReadyForQuery`), which the connection waits for, so a failure to
    /// commit — a deferred constraint or trigger among them, whose error follows the rows —
    /// reaches the client as the statement's error. Other mutations run in one transaction whose COMMIT is awaited
    /// before anything is acknowledged; a failing field rolls back every field's writes, and the
    /// error names the failing field.
    private func runMutation(_ fields: [MutationField], statements: [PreparedSQL], prepared: Prepared, pool: SessionPool,
                             cancellation: QueryCancellation?) async -> Outcome {
        let settings = Self.settings(prepared)
        let failingField = Mutex<String?>(nil)
        if fields.count == 1, case .statement = fields[0].value, pool.configuration.scope == .session {
            do {
                let writes = writeBatches[ObjectIdentifier(pool)]
                let data = try await join(fields, prepared: prepared, failingField: failingField) { index, binds in
                    if let writes {
                        return try await writes.write(statements[index], binds: binds, settings: settings, cancellation: cancellation)
                    }
                    return try await pool.query(statements[index], binds: binds, settings: settings, cancellation: cancellation)
                }
                return .data(data)
            } catch {
                return failed(error, in: failingField)
            }
        }
        do {
            let data = try await pool.transaction(settings: settings, cancellation: cancellation) { transaction in
                try await join(fields, prepared: prepared, failingField: failingField) { index, binds in
                    try await transaction.query(statements[index], binds: binds)
                }
            }
            return .data(data)
        } catch {
            return failed(error, in: failingField)
        }
    }

    /// A mutation's error, its path the field that was running.
    private func failed(_ error: any Error, in failingField: borrowing Mutex<String?>) -> Outcome {
        let field = failingField.withLock { $0 }
        return .executionErrors([report.clientError(for: error, path: field.map { [.field($0)] } ?? [])])
    }

    /// The `data` object of a mutation: each field's JSON, its statements run in order through
    /// `run` (given each statement's index in the plan and its binds).
    private func join(_ fields: [MutationField], prepared: Prepared, failingField: borrowing Mutex<String?>,
                      run: (Int, [SQLValue]) async throws -> ByteBuffer?) async throws -> ByteBuffer {
        var data = ByteBuffer(string: "{")
        var next = 0
        for (index, field) in fields.enumerated() {
            if index > 0 { data.writeString(",") }
            data.writeString(JSONText.quoted(field.responseKey) + ":")
            failingField.withLock { $0 = field.responseKey }
            var values: [ByteBuffer] = []
            for statement in field.statements {
                let previous = values.last.map { SQLValue.text(String(buffer: $0)) } ?? .null
                let binds = statement.parameters.map { parameter in
                    switch parameter {
                    case .previousResult: previous
                    default: parameter.value(variables: prepared.variables, session: prepared.session)
                    }
                }
                values.append(try await run(next, binds) ?? ByteBuffer(string: "null"))
                next += 1
            }
            switch field.value {
            case .constant(let value):
                data.writeString(value.serialized)
            case .statement, .chained:
                var value = values[values.count - 1]
                data.writeBuffer(&value)
            case .list:
                data.writeString("[")
                for (position, var value) in values.enumerated() {
                    if position > 0 { data.writeString(",") }
                    data.writeBuffer(&value)
                }
                data.writeString("]")
            }
        }
        failingField.withLock { $0 = nil }
        data.writeString("}")
        return data
    }

    private static func settings(_ prepared: Prepared) -> ConnectionSettings {
        let session = prepared.session
        return ConnectionSettings(role: session.role, tenantID: session.tenantID, userID: session.userID, claims: session.claimsJSON,
                                  applicationName: prepared.trace?.applicationName ?? "strata")
    }
}
