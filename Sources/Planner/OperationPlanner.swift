import APISchema
import GraphQLLanguage
import GraphQLTypeSystem
import SQL

/// Plans a query operation of a validated document as one SQL statement: every root field is
/// a subquery of one `SELECT` whose single value is the response's `data` object, built by
/// PostgreSQL as JSON. Introspection fields are answered from the role's schema and folded in.
public enum OperationPlanner {
    /// - Parameters:
    ///   - document: a document that passed validation against `api.schema`.
    ///   - variables: the request's variables, already coerced without errors.
    public static func plan(_ document: Document, operationName: String?, api: RoleSchema,
                            variables: [String: JSONValue]) throws(GraphQLErrors) -> QueryPlan {
        let operation = try OperationSelection.select(in: document, named: operationName)
        var fragments: [String: FragmentDefinition] = [:]
        for fragment in document.fragments where fragments[fragment.name.value] == nil {
            fragments[fragment.name.value] = fragment
        }
        let reader = VariableReader(definitions: operation.variableDefinitions, provided: variables)
        let builder = PlanBuilder(api: api, variables: reader, fragments: fragments,
                                  selected: SelectedNames(operation.selectionSet, fragments: fragments))
        do {
            if operation.operation == .mutation { return try MutationPlanner.plan(operation, builder: builder) }
            let plan = try plan(operation, document: document, builder: builder)
            if operation.operation == .subscription { try checkCaptured(plan, operation: operation, api: api) }
            return plan
        } catch {
            throw GraphQLErrors([error])
        }
    }

    private enum RootValue {
        case constant(JSONValue)
        case introspection(String)
        case sql(SQLExpression)
    }

    private static func plan(_ operation: OperationDefinition, document: Document, builder: PlanBuilder) throws(GraphQLError) -> QueryPlan {
        let api = builder.api
        let rootName = api.schema.rootTypeName(for: operation.operation) ?? "query_root"
        var values: [(String, RootValue)] = []
        for field in builder.fields([operation.selectionSet]) {
            let path: [GraphQLError.PathComponent] = [.field(field.responseKey)]
            switch field.name {
            case "__typename":
                values.append((field.responseKey, .constant(.string(rootName))))
            case "__schema", "__type":
                guard api.allowsIntrospection else {
                    throw GraphQLError("Introspection is disabled for role '\(api.role)'.", locations: [field.location],
                                       path: path, code: ErrorCode.introspectionDisabled)
                }
                values.append((field.responseKey, .introspection(field.responseKey)))
            default:
                values.append((field.responseKey, try rootField(field, builder: builder, path: path)))
            }
        }

        var introspected: [String: JSONValue] = [:]
        if values.contains(where: { if case .introspection = $0.1 { true } else { false } }) {
            builder.variables.markAllStructural()
            let introspection = Introspection(schema: api.schema, document: document, variables: builder.variables.allValues())
            for (key, value) in introspection.resolveRoot(operation) { introspected[key] = value }
        }
        let usesDatabase = values.contains { if case .sql = $0.1 { true } else { false } }
        guard usesDatabase else {
            let data = values.map { key, value -> (String, JSONValue) in
                switch value {
                case .constant(let json): (key, json)
                case .introspection(let key): (key, introspected[key] ?? .null)
                case .sql: (key, .null)
                }
            }
            return QueryPlan(body: .constant(.object(data)), structuralVariables: builder.variables.structural)
        }

        let pairs = values.map { key, value -> (String, SQLExpression) in
            switch value {
            case .constant(let json): (key, .cast(.value(.text(json.serialized)), .json))
            case .introspection(let key): (key, .cast(.value(.text((introspected[key] ?? .null).serialized)), .json))
            case .sql(let expression): (key, expression)
            }
        }
        let statement = SQLSelect([.init(try builder.jsonObject(pairs, at: nil, path: []), as: PlanBuilder.dataColumn)])
        let planned = try builder.statement(SQLRenderer.render(statement), at: nil, path: [])
        // One statement for many: a live query's subscribers, or a query's requests coalesced.
        let many = builder.streamPlan == nil ? CohortPlan(statement: statement, parameters: builder.parameters) : nil
        let isSubscription = operation.operation == .subscription
        return QueryPlan(body: .statement(sql: planned.sql, parameters: planned.parameters),
                         structuralVariables: builder.variables.structural, laidOutVariables: builder.variables.laidOut,
                         readTables: builder.readTables, cohort: isSubscription ? many : nil, batch: isSubscription ? nil : many,
                         stream: builder.streamPlan)
    }

    /// A live query is refreshed by change events: every table it reads — through relationships,
    /// filters and permissions too — must have all its writes captured. (A domain event it
    /// follows is an event itself.)
    private static func checkCaptured(_ plan: QueryPlan, operation: OperationDefinition, api: RoleSchema) throws(GraphQLError) {
        let uncaptured = plan.readTables.filter { api.tables[$0]?.table.capturesEveryWrite != true && !api.domainEvents.contains($0) }.sorted()
        guard uncaptured.isEmpty else {
            throw GraphQLError("This subscription reads \(uncaptured.map { "'\($0)'" }.joined(separator: ", ")), whose writes are not all captured as change events (events: true in its YAML), so it could not be kept up to date.",
                               locations: [operation.location.sourceLocation], code: ErrorCode.validationFailed)
        }
    }

    private static func rootField(_ field: SelectedField, builder: PlanBuilder, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> RootValue {
        let name = field.name
        let api = builder.api
        if name == "no_queries_available" { return .constant(.null) }
        if let view = api.tables[name], view.isSelectable {
            return .sql(.subquery(try builder.list(view, field: field, parent: nil, path: path)))
        }
        if name.hasSuffix("_by_pk"), let view = api.tables[String(name.dropLast("_by_pk".count))], let key = view.primaryKey {
            let query = try builder.rows(view, shapes: [RowShape(output: PlanBuilder.rootColumn, selections: field.subselections)],
                                         arguments: RowArguments(primaryKeyOf: field, key: key), parent: nil, field: field, path: path)
            return .sql(.subquery(query.select))
        }
        if let function = api.functions[name], function.exposedAs == .query {
            return .sql(.subquery(try builder.functionRows(function, field: field, path: path)))
        }
        if name == "change_events", api.schema.rootTypeName(for: .subscription) != nil {
            let (select, stream) = try builder.eventChannel(field: field, path: path)
            builder.streamPlan = stream
            return .sql(.subquery(select))
        }
        if name.hasSuffix("_stream"), let view = api.tables[String(name.dropLast("_stream".count))], view.isSelectable,
           view.table.capturesEveryWrite {
            let (select, stream) = try builder.stream(view, field: field, path: path)
            builder.streamPlan = stream
            return .sql(.subquery(select))
        }
        if name.hasSuffix("_aggregate"), let view = api.tables[String(name.dropLast("_aggregate".count))], view.allowsAggregates {
            return .sql(.subquery(try builder.aggregate(view, field: field, parent: nil, path: path)))
        }
        throw builder.planningError("field '\(name)' not found in type 'query_root'", at: field, path: path)
    }
}
