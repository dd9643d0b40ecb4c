import APISchema
import GraphQLLanguage
import GraphQLTypeSystem
import SQL

/// The state of planning one operation: the role's API, the request's variables, the
/// parameters gathered so far and the table aliases handed out.
final class PlanBuilder {
    let api: RoleSchema
    let variables: VariableReader
    let collector: FieldCollector
    private(set) var parameters: [PlanParameter] = []
    private var parameterIndex: [PlanParameter: Int] = [:]
    private var aliasCounts: [String: Int] = [:]
    /// The tables the statement being planned writes, by API name, and the write steps that
    /// wrote them: reads of those tables see the rows as the writes leave them.
    var written: [String: [WrittenRows]] = [:]
    /// Every table the statement reads, by API name: a live query is refreshed when any of them
    /// changes.
    private(set) var readTables: Set<String> = []
    /// Set when the operation is a stream subscription.
    var streamPlan: StreamPlan?

    /// Every field name the operation selects; nil reads as "any".
    let selected: SelectedNames?

    init(api: RoleSchema, variables: VariableReader, fragments: [String: FragmentDefinition], selected: SelectedNames? = nil) {
        self.api = api
        self.variables = variables
        self.collector = FieldCollector(fragments: fragments, variables: variables)
        self.selected = selected
    }

    /// A bind whose value is supplied at execution; equal parameters share one placeholder.
    func parameter(_ parameter: PlanParameter) -> SQLExpression {
        if case .value(let value) = parameter { return .value(value) }
        if let index = parameterIndex[parameter] { return .parameter(index) }
        parameters.append(parameter)
        parameterIndex[parameter] = parameters.count - 1
        return .parameter(parameters.count - 1)
    }

    /// The one output of an operation's statement: the response's `data` object.
    static let dataColumn: SQLIdentifier = "data"

    /// PostgreSQL's wire protocol counts a statement's parameters in 16 bits.
    public static let maxParameters = 65_535

    /// A rendered statement with where each `$n` gets its value. A statement needing more
    /// parameters than the protocol carries is refused here, before anything is sent.
    func statement(_ rendered: RenderedSQL, at field: SelectedField?, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> PlanStatement {
        guard rendered.binds.count <= Self.maxParameters else {
            throw GraphQLError("This operation needs \(rendered.binds.count) values in one statement, more than the \(Self.maxParameters) PostgreSQL accepts; send fewer rows or values per request, or pass lists as variables.",
                               locations: field.map { [$0.location] } ?? [], path: path, code: ErrorCode.validationFailed)
        }
        // Indices come from `parameter(_:)`, which appended each one to `parameters`.
        return PlanStatement(sql: rendered.text, parameters: rendered.binds.map { bind in
            switch bind {
            case .value(let value): .value(value)
            case .parameter(let index): parameters[index]
            }
        })
    }

    /// `t0`, `t1`, … — a fresh alias for each table or subquery in the statement.
    func noteRead(_ table: String) {
        readTables.insert(table)
    }

    func nextAlias(_ prefix: String) -> SQLIdentifier {
        let count = aliasCounts[prefix, default: 0]
        aliasCounts[prefix] = count + 1
        return SQLIdentifier("\(prefix)\(count)")
    }

    /// The fields of a selection set, fragments inlined and directives applied.
    func fields(_ selectionSets: [SelectionSet]) -> [SelectedField] {
        collector.collect(selectionSets)
    }

    /// A JSON object from keys and values, in order. `json_build_object` takes at most 50 pairs;
    /// wider objects are built from a row whose column names are the keys.
    func jsonObject(_ pairs: [(String, SQLExpression)], at field: SelectedField?, path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLExpression {
        if pairs.count <= 50 {
            var arguments: [SQLExpression] = []
            for (key, value) in pairs {
                guard let name = SQLName(key) else { throw planningError("'\(key)' cannot be a response key", at: field, path: path) }
                arguments += [.name(name), value]
            }
            return .builtin("json_build_object", arguments)
        }
        let row = nextAlias("e")
        var outputs: [SQLSelect.Output] = []
        for (key, value) in pairs {
            guard key.utf8.count <= 63 else {
                throw planningError("A selection of more than 50 fields cannot use the response key '\(key)', which is longer than 63 bytes", at: field, path: path)
            }
            outputs.append(.init(value, as: SQLIdentifier(key)))
        }
        return .subquery(SQLSelect([.init(.builtin("row_to_json", [.column(table: nil, row)]))],
                                   from: .subquery(SQLSelect(outputs), as: row)))
    }

    func planningError(_ message: String, at field: SelectedField?, path: [GraphQLError.PathComponent]) -> GraphQLError {
        GraphQLError(message, locations: field.map { [$0.location] } ?? [], path: path, code: ErrorCode.validationFailed)
    }

    func planningError(_ message: String, at value: InputValue, path: [GraphQLError.PathComponent]) -> GraphQLError {
        var locations: [SourceLocation] = []
        if case .literal(let literal) = value { locations = [literal.location.sourceLocation] }
        return GraphQLError(message, locations: locations, path: path, code: ErrorCode.validationFailed)
    }
}
