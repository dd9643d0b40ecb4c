/// A PostgreSQL type of the project's own, declared under `types:` in strata.yaml so columns
/// can name it: an enum, with its labels in order, or a domain over a type Strata serves.
public struct DeclaredType: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        /// `CREATE TYPE … AS ENUM (labels)`.
        case enumeration([String])
        /// `CREATE DOMAIN … AS base`: served as its base type; the domain's checks still hold.
        case domain(ColumnType)
    }

    /// As written: `mpaa_rating`, or `library.format` for one outside the search path.
    public var name: String
    public var kind: Kind
    /// An enum served as a custom scalar (its labels are not all GraphQL names, like `PG-13`).
    public var asScalar: Bool
    public var position: SourcePosition

    public init(name: String, kind: Kind, asScalar: Bool = false, position: SourcePosition) {
        self.name = name
        self.kind = kind
        self.asScalar = asScalar
        self.position = position
    }

    /// The name in the API: the type's name without its schema.
    public var graphQLName: String { String(name.split(separator: ".").last ?? Substring(name)) }

    /// The schema and name, for casts.
    public var qualifiedName: (schema: String?, name: String) {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : (nil, name)
    }

    /// The enum's labels, or nil for a domain.
    public var labels: [String]? {
        if case .enumeration(let labels) = kind { labels } else { nil }
    }

    /// Whether `label` can be a GraphQL enum value: a name, and not `true`, `false` or `null`.
    public static func isEnumValue(_ label: String) -> Bool {
        guard !["true", "false", "null"].contains(label), let first = label.unicodeScalars.first,
              first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return label.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
