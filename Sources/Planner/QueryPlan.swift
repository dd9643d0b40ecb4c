import GraphQLLanguage
import GraphQLTypeSystem
import SchemaModel
import SQL

/// A planned operation: one SQL statement whose single row and column is the response's `data`
/// object as JSON, and where each of its `$n` placeholders gets its value from. A plan does not
/// depend on the session or on scalar variables, so one plan (and one prepared statement) serves
/// every request with the same document, role and variable shape.
public struct QueryPlan: Sendable {
    public enum Body: Sendable {
        /// Run `sql` and forward the JSON it returns.
        case statement(sql: String, parameters: [PlanParameter])
        /// Answered without the database: an introspection-only operation.
        case constant(JSONValue)
        /// A mutation: its root fields in order, run in one transaction.
        case mutation([MutationField])
    }

    public let body: Body
    /// Variables whose whole value shaped the SQL (input objects, enums, `@skip(if:)` flags);
    /// the others only reach binds, so only whether they are null or absent matters.
    public let structuralVariables: Set<String>
    /// Variables whose layout (members present, list lengths, nulls) shaped the SQL while their
    /// scalars are parameters: the rows of an insert.
    public let laidOutVariables: Set<String>
    /// The tables the statement reads, by API name.
    public let readTables: Set<String>
    /// A subscription's statement for many subscribers at once.
    public let cohort: CohortPlan?
    /// A query's statement for many requests at once: concurrent requests of this plan with the
    /// same settings, coalesced while they wait for a connection.
    public let batch: CohortPlan?
    /// A stream subscription's start and batches.
    public let stream: StreamPlan?

    init(body: Body, structuralVariables: Set<String>, laidOutVariables: Set<String> = [], readTables: Set<String> = [],
         cohort: CohortPlan? = nil, batch: CohortPlan? = nil, stream: StreamPlan? = nil) {
        self.body = body
        self.cohort = cohort
        self.batch = batch
        self.stream = stream
        self.structuralVariables = structuralVariables
        self.laidOutVariables = laidOutVariables.subtracting(structuralVariables)
        self.readTables = readTables
    }

    /// Every statement the plan runs, in order.
    public var statements: [PlanStatement] {
        switch body {
        case .statement(let sql, let parameters): [PlanStatement(sql: sql, parameters: parameters)]
        case .constant: []
        case .mutation(let fields): fields.flatMap(\.statements)
        }
    }

    public var sql: String? {
        if case .statement(let sql, _) = body { return sql }
        return nil
    }

    public var parameters: [PlanParameter] {
        if case .statement(_, let parameters) = body { return parameters }
        return []
    }
}

/// One SQL statement of a plan, with where each `$n` gets its value.
public struct PlanStatement: Sendable {
    public let sql: String
    public let parameters: [PlanParameter]
}

/// One root field of a mutation and how its value is made.
public struct MutationField: Sendable {
    public enum Value: Sendable {
        /// Known without the database (`__typename`).
        case constant(JSONValue)
        /// The JSON the statement returns.
        case statement(PlanStatement)
        /// A JSON array of what each statement returns, run in order (`update_<table>_many`).
        case list([PlanStatement])
        /// The second statement's JSON, given what the first returned as `previousResult`: a
        /// SQL function's writes, then its rows read in a statement of their own, which sees
        /// what the function changed (one statement's reads would not).
        case chained(PlanStatement, then: PlanStatement)
    }

    public let responseKey: String
    public let value: Value

    public var statements: [PlanStatement] {
        switch value {
        case .constant: []
        case .statement(let statement): [statement]
        case .list(let statements): statements
        case .chained(let first, let second): [first, second]
        }
    }
}

/// Where one `$n` of a plan's statement gets its value.
public enum PlanParameter: Sendable, Hashable {
    /// Known when the operation was planned: a literal of the document, a name.
    case value(SQLValue)
    /// A scalar variable of the request; `json` when its value is bound as JSON text (a `jsonb`
    /// scalar), else as its string or number text.
    case variable(String, json: Bool)
    /// A list variable, bound as `text[]`.
    case variableList(String, json: Bool)
    /// A scalar inside a variable (a column of an inserted row).
    case variableMember(VariableMember, json: Bool)
    /// A list of scalars inside a variable (`_in` of a filter variable), bound as one `text[]`
    /// whatever its length.
    case variableMemberList(VariableMember, json: Bool)
    /// A value of the request's session: its tenant, user, role or a claim.
    case session(SessionValue)
    /// What the field's previous statement returned (a chained mutation field's second statement).
    case previousResult
}

extension PlanParameter: CustomStringConvertible {
    /// How `strata explain` and the golden files show a parameter.
    public var description: String {
        switch self {
        case .value(.null): "null"
        case .value(.text(let text)): JSONText.quoted(text)
        case .value(.textArray(let items)): "[" + items.map(JSONText.quoted).joined(separator: ", ") + "]"
        case .variable(let name, let json): "variable $\(name)" + (json ? " as JSON" : "")
        case .variableList(let name, let json): "list variable $\(name)" + (json ? " as JSON" : "")
        case .variableMember(let member, let json): "variable \(member)" + (json ? " as JSON" : "")
        case .variableMemberList(let member, let json): "list variable \(member)" + (json ? " as JSON" : "")
        case .session(let value): value.description
        case .previousResult: "the previous statement's result"
        }
    }

    /// The value to bind for a request with these variables and this session.
    public func value(variables: [String: JSONValue], session: Session) -> SQLValue {
        switch self {
        case .value(let value):
            return value
        case .variable(let name, let json):
            guard let value = variables[name] else { return .null }
            return Self.scalarText(value, json: json).map(SQLValue.text) ?? .null
        case .variableList(let name, let json):
            return Self.listValue(variables[name], json: json)
        case .variableMemberList(let member, let json):
            return Self.listValue(member.value(in: variables), json: json)
        case .variableMember(let member, let json):
            guard let value = member.value(in: variables) else { return .null }
            return Self.scalarText(value, json: json).map(SQLValue.text) ?? .null
        case .session(let value):
            return session.value(of: value).map(SQLValue.text) ?? .null
        case .previousResult:
            // Supplied by the executor, which has it.
            return .null
        }
    }

    /// A list as one `text[]`; a single value stands for a list of one, as input coercion says.
    static func listValue(_ value: JSONValue?, json: Bool) -> SQLValue {
        switch value {
        case nil, .null?: .null
        case .array(let items)?: .textArray(items.compactMap { scalarText($0, json: json) })
        case let single?: .textArray(scalarText(single, json: json).map { [$0] } ?? [])
        }
    }

    /// Whether the value is a list bound as one `text[]`.
    public var isList: Bool {
        switch self {
        case .variableList, .variableMemberList, .value(.textArray): true
        default: false
        }
    }

    /// How a scalar's value travels: JSON scalars as JSON text, others as their text.
    static func scalarText(_ value: JSONValue, json: Bool) -> String? {
        if json { return value == .null ? nil : value.serialized }
        switch value {
        case .null: return nil
        case .string(let text): return text
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .array, .object: return value.serialized
        }
    }
}
