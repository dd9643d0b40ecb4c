import GraphQLTypeSystem
import SQL

/// A live query's plan run for many subscribers in one statement. Subscribers of one plan whose
/// sessions share the settings row-level security reads (role, tenant) form a cohort; each
/// brings its own variables and session values — the plan's parameters — as one JSON array, and
/// the statement runs the plan once per array, `LATERAL`, returning a JSON array of the `data`
/// objects in the members' order:
///
///     SELECT json_agg(strata_result.data ORDER BY strata_member.n)
///     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS strata_member(v, n)
///     LEFT JOIN LATERAL (<the plan, each $k read as (strata_member.v ->> k)>) AS strata_result ON TRUE
public struct CohortPlan: Sendable {
    /// What a `$n` of the cohort statement carries.
    public enum Bind: Sendable, Hashable {
        /// Every member's parameter values, as the JSON array `members(_:)` makes.
        case members
        /// A value the planner bound itself, the same for every member.
        case value(SQLValue)
    }

    public let sql: String
    /// `binds[n - 1]` is bound to `$n`.
    public let binds: [Bind]
    /// The plan's parameters, in the order of each member's values.
    public let memberParameters: [PlanParameter]

    static let member: SQLIdentifier = "strata_member"
    static let result: SQLIdentifier = "strata_result"

    init(statement: SQLSelect, parameters: [PlanParameter]) {
        let values: SQLIdentifier = "v", position: SQLIdentifier = "n"
        let body = statement.mappingParameters { index in
            let value = SQLExpression.binary(.column(table: Self.member, values), .jsonMemberText, .integer(Int64(index)))
            return parameters[index].isList ? .cast(value, SQLType.text.array) : value
        }
        let cohort = SQLSelect(
            [.init(.aggregate(SQLAggregate("json_agg", [.column(table: Self.result, PlanBuilder.dataColumn)],
                                           orderBy: [SQLOrdering(.column(table: Self.member, position))])))],
            from: .numberedRows(.builtin("jsonb_array_elements", [.cast(.parameter(0), .jsonb)]), as: Self.member,
                                columns: [values], ordinality: position),
            joins: [SQLJoin(leftLateral: .subquery(body, as: Self.result))])
        let rendered = SQLRenderer.render(cohort)
        sql = rendered.text
        binds = rendered.binds.map { bind in
            switch bind {
            case .parameter: .members
            case .value(let value): .value(value)
            }
        }
        memberParameters = parameters
    }

    /// Whether `$n` (from 1) is a `text[]`.
    public func isList(_ number: Int) -> Bool {
        if case .value(.textArray) = binds[number - 1] { true } else { false }
    }

    /// One member's parameter values, for a subscriber with these variables and this session.
    public func memberValues(variables: [String: JSONValue], session: Session) -> [SQLValue] {
        memberParameters.map { $0.value(variables: variables, session: session) }
    }

    /// One member's values as a JSON array, a list as PostgreSQL's array literal text (read back
    /// with a `::text[]` cast). Made once per member.
    public static func member(_ values: [SQLValue]) -> String {
        JSONValue.array(values.map { value in
            switch value {
            case .null: .null
            case .text(let text): .string(text)
            case .textArray(let items): .string(arrayLiteral(items))
            }
        }).serialized
    }

    /// What is bound to `.members`: the members' arrays (from `member(_:)`) in one JSON array.
    public static func members(_ members: [String]) -> SQLValue {
        .text("[" + members.joined(separator: ",") + "]")
    }

    /// The value of each `$n` for these members' arrays.
    public func bindValues(members: [String]) -> [SQLValue] {
        let joined = Self.members(members)
        return binds.map { bind in
            switch bind {
            case .members: joined
            case .value(let value): value
            }
        }
    }

    /// `{"a","b\"c"}`: every element quoted, `"` and `\` escaped.
    static func arrayLiteral(_ items: [String]) -> String {
        var literal = "{"
        for (index, item) in items.enumerated() {
            if index > 0 { literal += "," }
            literal += "\""
            for character in item {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.append(character)
            }
            literal += "\""
        }
        return literal + "}"
    }
}
