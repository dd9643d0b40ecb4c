/// Names `strata init` gives: valid GraphQL names, and English singulars for relationships.
enum GraphQLNaming {
    /// `/[_A-Za-z][_0-9A-Za-z]*/`, not starting with `__` (reserved for introspection).
    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first), !name.hasPrefix("__") else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// A PostgreSQL name the YAML can write unquoted: letters, digits and `_`.
    static func isPlainSQLName(_ name: String) -> Bool {
        isValid(name) || (name.hasPrefix("__") && isValid(String(name.dropFirst(2))))
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// `tasks` → `task`, `categories` → `category`, `addresses` → `address`; others as they are.
    static func singular(_ name: String) -> String {
        if name.hasSuffix("ies"), name.count > 3 { return String(name.dropLast(3)) + "y" }
        for ending in ["sses", "xes", "ches", "shes"] where name.hasSuffix(ending) { return String(name.dropLast(2)) }
        if name.hasSuffix("ss") || name.hasSuffix("us") || name.hasSuffix("is") { return name }
        if name.hasSuffix("s"), name.count > 1 { return String(name.dropLast()) }
        return name
    }
}
