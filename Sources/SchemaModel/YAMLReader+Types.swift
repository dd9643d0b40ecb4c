import Yams

extension YAMLReader {
    /// `types:` in strata.yaml: `name: { enum: [labels] }` (with `as_scalar: true` for labels
    /// that are not GraphQL names) or `name: { domain: <type> }`.
    mutating func declaredTypes(_ node: Node) -> [String: DeclaredType] {
        var types: [String: DeclaredType] = [:]
        var graphQLNames: [String: String] = [:]
        for (name, key, value) in entries(node, context: "types") {
            let fields = mapping(value, keys: ["enum", "domain", "as_scalar"], context: "type '\(name)'")
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }), let last = parts.last else {
                fail(key, "'\(name)' is not a type name; write 'name' or 'schema.name'")
                continue
            }
            let graphQLName = String(last)
            guard isGraphQLName(graphQLName, at: key, what: "a type name") else { continue }
            if ColumnType(graphQLName) != nil || ["String", "Int", "Float", "Boolean", "ID", "bigint", "numeric", "uuid", "timestamptz",
                                                  "timestamp", "date", "time", "jsonb", "json", "interval", "inet", "tsvector", "order_by"].contains(graphQLName) {
                fail(key, "type '\(name)' has the name of a type Strata already serves; it cannot be declared again")
                continue
            }
            if let other = graphQLNames[graphQLName] {
                fail(key, "types '\(other)' and '\(name)' would both be '\(graphQLName)' in the API")
                continue
            }
            let asScalar = fields["as_scalar"].flatMap { bool($0) } ?? false
            let kind: DeclaredType.Kind
            switch (fields["enum"], fields["domain"]) {
            case (let labelsNode?, nil):
                let labels = names(labelsNode, context: "enum '\(name)'")
                guard !labels.isEmpty else {
                    fail(labelsNode, "enum '\(name)' lists no labels; list them in the order PostgreSQL has them")
                    continue
                }
                var seen: Set<String> = []
                for (label, node) in labels where !seen.insert(label).inserted {
                    fail(node, "enum '\(name)' lists '\(label)' twice")
                }
                if !asScalar, let odd = labels.first(where: { !DeclaredType.isEnumValue($0.name) }) {
                    fail(odd.node, "enum '\(name)': '\(odd.name)' cannot be a GraphQL enum value; add 'as_scalar: true' to serve the type as a scalar holding the labels")
                    continue
                }
                kind = .enumeration(labels.map(\.name))
            case (nil, let baseNode?):
                guard let base = columnType(baseNode) else { continue }
                kind = .domain(base)
            default:
                fail(key, "type '\(name)' needs exactly one of 'enum: [labels]' or 'domain: <base type>'")
                continue
            }
            graphQLNames[graphQLName] = name
            types[name] = DeclaredType(name: name, kind: kind, asScalar: asScalar, position: position(of: key))
        }
        return types
    }
}
