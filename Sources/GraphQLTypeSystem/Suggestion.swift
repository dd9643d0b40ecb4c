/// "Did you mean …?" hints, chosen as graphql-js chooses them: options within 40% of the
/// input's length in edit distance, closest first, at most five.
public enum Suggestion {
    public static func candidates(_ input: String, among options: [String]) -> [String] {
        let threshold = Int(Double(input.count) * 0.4) + 1
        let lowered = input.lowercased()
        let scored = options.compactMap { option -> (String, Int)? in
            let distance = option.lowercased() == lowered ? 1 : editDistance(lowered, option.lowercased())
            return distance <= max(threshold, 1) ? (option, distance) : nil
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.map(\.0)
    }

    /// ` Did you mean "A", "B", or "C"?`, or nothing; `what` names the kind of thing
    /// (` Did you mean the enum value "A"?`).
    public static func didYouMean(_ input: String, among options: [String], what: String? = nil) -> String {
        format(candidates(input, among: options), what: what)
    }

    /// ` Did you mean "A" or "B"?` for suggestions already chosen (at most five are shown).
    public static func format(_ options: [String], what: String? = nil) -> String {
        let suggestions = Array(options.prefix(5)).map { "\"\($0)\"" }
        let lead = " Did you mean " + (what.map { $0 + " " } ?? "")
        switch suggestions.count {
        case 0: return ""
        case 1: return lead + "\(suggestions[0])?"
        case 2: return lead + "\(suggestions[0]) or \(suggestions[1])?"
        default: return lead + "\(suggestions.dropLast().joined(separator: ", ")), or \(suggestions.last!)?"
        }
    }

    /// Damerau–Levenshtein distance (optimal string alignment).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var rows = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
                }
            }
        }
        return rows[a.count][b.count]
    }
}
