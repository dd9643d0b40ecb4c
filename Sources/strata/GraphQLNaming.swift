/// Names `strata init` gives: valid GraphQL names, and English singulars for relationships.
enum GraphQLNaming {
    /// `/[_A-Za-z][_0-9A-Za-z]*/`, not starting with `__` (reserved for introspection).
    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first), !name.hasPrefix("__") else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// The GraphQL name for a PostgreSQL name that is not one: lower case, each run of other
    /// characters one `_` (`First Name` → `first_name`, `__secret` → `secret`, `2fa` → `_2fa`),
    /// with a number after it when `taken` has it already.
    static func mapped(_ name: String, avoiding taken: Set<String>) -> String {
        var words: [String] = []
        var current = ""
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCII && (("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var base = words.isEmpty ? "column" : words.joined(separator: "_")
        if let first = base.unicodeScalars.first, ("0"..."9").contains(first) { base = "_" + base }
        var candidate = base
        var suffix = 2
        while taken.contains(candidate) {
            candidate = "\(base)_\(suffix)"
            suffix += 1
        }
        return candidate
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
