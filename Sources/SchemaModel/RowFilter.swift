/// A boolean expression over a table's rows, in the same language clients use in `where`:
/// `_and`, `_or`, `_not`, comparisons on columns, and conditions through relationships.
/// Permissions use it for row filters and insert/update checks.
public indirect enum RowFilter: Sendable, Hashable {
    case and([RowFilter])
    case or([RowFilter])
    case not(RowFilter)
    /// `column: { _op: value, … }` — every comparison must hold.
    case column(String, [Comparison])
    /// `relationship: { … }` — for an object relationship the related row matches; for an array
    /// relationship, at least one related row does.
    case relationship(String, RowFilter)

    /// Matches every row (`{}`).
    public static let always = RowFilter.and([])
}

/// One comparison of a column with a value: `_eq: $session.user_id`, `_in: [todo, done]`.
public struct Comparison: Sendable, Hashable {
    public var op: ComparisonOperator
    public var value: FilterValue

    public init(op: ComparisonOperator, value: FilterValue) {
        self.op = op
        self.value = value
    }
}

/// The comparison operators, by the GraphQL name they have in `<type>_comparison_exp`.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case eq = "_eq", neq = "_neq", gt = "_gt", gte = "_gte", lt = "_lt", lte = "_lte"
    case `in` = "_in", nin = "_nin", isNull = "_is_null"
    case like = "_like", nlike = "_nlike", ilike = "_ilike", nilike = "_nilike", regex = "_regex", iregex = "_iregex"
    case contains = "_contains", hasKey = "_has_key"
    /// An array holds no element the given list lacks.
    case containedIn = "_contained_in"
    /// Full-text search: a `tsvector` matches a web-search query (`websearch_to_tsquery`).
    case matches = "_matches"

    /// The operators a column of this type offers.
    public static func available(for type: ColumnType) -> [ComparisonOperator] {
        if type.category == .tsvector { return [.isNull, .matches] }
        // Compared whole; a list of binary values is not offered.
        if type.category == .bytea { return [.eq, .neq, .isNull] }
        // Arrays compare whole, and by the elements one holds of another.
        if type.category == .array { return [.eq, .neq, .isNull, .contains, .containedIn] }
        var operators: [ComparisonOperator] = [.eq, .neq, .in, .nin, .isNull]
        if type.isOrdered { operators += [.gt, .gte, .lt, .lte] }
        if type.category == .text { operators += [.like, .nlike, .ilike, .nilike, .regex, .iregex] }
        if type.category == .jsonb { operators += [.contains, .hasKey] }
        return operators
    }

    /// Operators whose value is a list of the column's values.
    public var takesList: Bool { self == .in || self == .nin }
}

/// A value in a filter or preset: written literally, or taken from the request's session.
public indirect enum FilterValue: Sendable, Hashable {
    case string(String)
    /// A number, as written.
    case number(String)
    case boolean(Bool)
    case null
    case list([FilterValue])
    case session(SessionValue)
}

/// A value of the request's session, written `$session.tenant_id`, `$session.user_id`,
/// `$session.role` or `$session.claims.<name>`.
public enum SessionValue: Sendable, Hashable, CustomStringConvertible {
    case tenantID
    case userID
    case role
    /// A claim of the verified token, by name (dots separate nested objects).
    case claim(String)

    public static let prefix = "$session."

    public init?(written: String) {
        guard written.hasPrefix(Self.prefix) else { return nil }
        let name = written.dropFirst(Self.prefix.count)
        switch name {
        case "tenant_id": self = .tenantID
        case "user_id": self = .userID
        case "role": self = .role
        default:
            guard name.hasPrefix("claims."), name.count > "claims.".count else { return nil }
            self = .claim(String(name.dropFirst("claims.".count)))
        }
    }

    public var description: String {
        switch self {
        case .tenantID: "$session.tenant_id"
        case .userID: "$session.user_id"
        case .role: "$session.role"
        case .claim(let name): "$session.claims.\(name)"
        }
    }
}

extension RowFilter {
    /// Whether any comparison takes a `$session` value.
    public var usesSession: Bool {
        switch self {
        case .and(let terms), .or(let terms): terms.contains { $0.usesSession }
        case .not(let inner), .relationship(_, let inner): inner.usesSession
        case .column(_, let comparisons): comparisons.contains { $0.value.usesSession }
        }
    }
}

extension FilterValue {
    var usesSession: Bool {
        switch self {
        case .session: true
        case .list(let items): items.contains { $0.usesSession }
        default: false
        }
    }
}
