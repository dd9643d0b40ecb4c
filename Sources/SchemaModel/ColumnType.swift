import Foundation

/// A column's PostgreSQL type, as the schema author names it, with what the API makes of it.
public struct ColumnType: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of value Strata treats alike: they decide the GraphQL scalar, the comparison
    /// operators and the aggregates a column gets.
    public enum Category: String, Sendable, Hashable {
        case text, integer, bigint, numeric, float, boolean, uuid, timestamptz, timestamp, date, time, jsonb, json
        case interval, inet, tsvector
        /// A declared enum (`types:` in strata.yaml).
        case enumeration
        /// Binary data, base64 in the API.
        case bytea
        /// A one-dimensional array of a served type (`text[]`): a list in the API.
        case array
    }

    public let category: Category
    /// The type as PostgreSQL's `format_type` prints it (`numeric(6,2)`, `timestamp with time zone`).
    public let sqlName: String
    /// The project's declared type this is (an enum or a domain); nil for PostgreSQL's own types.
    public let declared: DeclaredType?
    /// An array's element type, kept in an array so the type can hold one of itself.
    private let elements: [ColumnType]
    /// The element type of an array; nil for every other type.
    public var element: ColumnType? { elements.first }

    /// Reads a type name such as `uuid`, `int8`, `numeric(14, 2)` or `varchar(80)`.
    public init?(_ written: String) {
        let trimmed = written.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("[]") {
            guard let element = ColumnType(String(trimmed.dropLast(2))) else { return nil }
            self.init(arrayOf: element)
            return
        }
        let lowered = written.lowercased().trimmingCharacters(in: .whitespaces)
        var base = lowered
        var modifier = ""
        if let open = lowered.firstIndex(of: "("), lowered.hasSuffix(")") {
            base = String(lowered[..<open]).trimmingCharacters(in: .whitespaces)
            let inside = lowered[lowered.index(after: open)..<lowered.index(before: lowered.endIndex)]
            let numbers = inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !numbers.isEmpty, numbers.allSatisfy({ Int($0) != nil }) else { return nil }
            modifier = "(" + numbers.joined(separator: ",") + ")"
        }
        guard let (category, canonical, allowsModifier) = Self.known[base], modifier.isEmpty || allowsModifier else { return nil }
        self.init(category: category, sqlName: canonical + modifier, declared: nil, elements: [])
    }

    private init(category: Category, sqlName: String, declared: DeclaredType?, elements: [ColumnType]) {
        self.category = category
        self.sqlName = sqlName
        self.declared = declared
        self.elements = elements
    }

    /// A one-dimensional array of `element` (`library.format[]`); nil for elements no array of
    /// which is served (arrays, JSON, `tsvector`).
    public init?(arrayOf element: ColumnType) {
        guard element.category != .array, ![.json, .jsonb, .tsvector].contains(element.category) else { return nil }
        self.init(category: .array, sqlName: element.sqlName + "[]", declared: nil, elements: [element])
    }

    /// A column of a declared type: an enum, or a domain acting as its base type.
    public init(declared: DeclaredType) {
        switch declared.kind {
        case .enumeration: category = .enumeration
        case .domain(let base): category = base.category
        }
        sqlName = declared.name
        self.declared = declared
        elements = []
    }

    public var description: String { sqlName }

    /// Names PostgreSQL accepts, by category, with the name `format_type` uses.
    static let known: [String: (Category, String, Bool)] = [
        "text": (.text, "text", false),
        "varchar": (.text, "character varying", true),
        "character varying": (.text, "character varying", true),
        "citext": (.text, "citext", false),
        "character": (.text, "character", true), "char": (.text, "character", true), "bpchar": (.text, "character", true),
        "smallint": (.integer, "smallint", false), "int2": (.integer, "smallint", false),
        "integer": (.integer, "integer", false), "int": (.integer, "integer", false), "int4": (.integer, "integer", false),
        "bigint": (.bigint, "bigint", false), "int8": (.bigint, "bigint", false),
        "numeric": (.numeric, "numeric", true), "decimal": (.numeric, "numeric", true),
        "real": (.float, "real", false), "float4": (.float, "real", false),
        "double precision": (.float, "double precision", false), "float8": (.float, "double precision", false),
        "boolean": (.boolean, "boolean", false), "bool": (.boolean, "boolean", false),
        "uuid": (.uuid, "uuid", false),
        "timestamptz": (.timestamptz, "timestamp with time zone", false),
        "timestamp with time zone": (.timestamptz, "timestamp with time zone", false),
        "timestamp": (.timestamp, "timestamp without time zone", false),
        "timestamp without time zone": (.timestamp, "timestamp without time zone", false),
        "date": (.date, "date", false),
        "time": (.time, "time without time zone", false),
        "jsonb": (.jsonb, "jsonb", false),
        "json": (.json, "json", false),
        "interval": (.interval, "interval", true),
        "inet": (.inet, "inet", false),
        "cidr": (.inet, "cidr", false),
        "tsvector": (.tsvector, "tsvector", false),
        "bytea": (.bytea, "bytea", false),
    ]

    /// The names an author may write, for "did you mean" hints (each also as `name[]`, an array).
    public static var writtenNames: [String] { known.keys.sorted() }

    /// Numbers: summed, averaged and incremented.
    public var isNumeric: Bool { [.integer, .bigint, .numeric, .float].contains(category) }
    /// Ordered values: compared with `_gt` and friends, and given `min`/`max`.
    public var isOrdered: Bool { ![.boolean, .json, .jsonb, .tsvector, .enumeration, .bytea, .array].contains(category) }
}
