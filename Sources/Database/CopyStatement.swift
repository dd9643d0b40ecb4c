import Foundation

/// A `COPY <table> [(<columns>)] FROM stdin` statement of a migration, as `pg_dump` writes them:
/// its table and columns, read the way PostgreSQL reads identifiers (unquoted ones folded to
/// lower case, `""` inside quotes).
public struct CopyStatement: Sendable, Equatable {
    /// The table's name, schema first if it was qualified.
    public var table: [String]
    public var columns: [String]

    /// Why a COPY from standard input cannot be sent as it is written.
    public struct Unsupported: Error, Equatable {
        public var reason: String
    }

    /// Whether `text` is a `COPY … FROM STDIN` statement, whose rows follow it in the file.
    public static func readsStandardInput(_ text: String) -> Bool {
        let words = Words(text)
        guard words.tokens.first?.uppercased() == "COPY" else { return false }
        return zip(words.tokens, words.tokens.dropFirst()).contains { $0.uppercased() == "FROM" && $1.uppercased() == "STDIN" }
    }

    /// Reads a `COPY … FROM STDIN` statement; options beyond the plain text format (CSV, binary,
    /// another delimiter, `ONLY`, a `WHERE`) are refused, saying which.
    public init(_ text: String) throws(Unsupported) {
        var tokens = Words(text).tokens[...]
        guard tokens.popFirst()?.uppercased() == "COPY" else { throw Unsupported(reason: "is not a COPY statement") }
        var table: [String] = []
        while let token = tokens.first, token != "(", token.uppercased() != "FROM" {
            tokens.removeFirst()
            if token == "." { continue }
            if token.uppercased() == "ONLY", table.isEmpty { throw Unsupported(reason: "COPY ONLY is not supported here") }
            table.append(Self.identifier(token))
        }
        guard (1...2).contains(table.count) else { throw Unsupported(reason: "names no table COPY can fill (a query or a three-part name)") }
        var columns: [String] = []
        if tokens.first == "(" {
            tokens.removeFirst()
            while let token = tokens.popFirst(), token != ")" {
                if token != "," { columns.append(Self.identifier(token)) }
            }
        }
        guard tokens.popFirst()?.uppercased() == "FROM", tokens.popFirst()?.uppercased() == "STDIN" else {
            throw Unsupported(reason: "is not COPY … FROM STDIN")
        }
        if let option = tokens.first {
            throw Unsupported(reason: "has options (\(option) …); only the plain text format pg_dump writes (COPY table (columns) FROM stdin;) is supported here")
        }
        self.table = table
        self.columns = columns
    }

    /// A quoted identifier without its quotes; an unquoted one folded to lower case.
    static func identifier(_ token: String) -> String {
        guard token.hasPrefix("\""), token.hasSuffix("\""), token.count >= 2 else { return token.lowercased() }
        return String(token.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    /// The statement's words: identifiers (quoted ones whole), and `(`, `)`, `,`, `.` alone.
    struct Words {
        var tokens: [String] = []

        init(_ text: String) {
            var current = ""
            var quoted = false
            var characters = Array(text)[...]
            while let character = characters.popFirst() {
                if quoted {
                    current.append(character)
                    if character == "\"" {
                        if characters.first == "\"" {
                            current.append(characters.removeFirst())
                        } else {
                            quoted = false
                        }
                    }
                } else if character == "\"" {
                    current.append(character)
                    quoted = true
                } else if character.isWhitespace || "(),.;".contains(character) {
                    if !current.isEmpty { tokens.append(current) }
                    current = ""
                    if "(),.".contains(character) { tokens.append(String(character)) }
                } else {
                    current.append(character)
                }
            }
            if !current.isEmpty { tokens.append(current) }
        }
    }
}
