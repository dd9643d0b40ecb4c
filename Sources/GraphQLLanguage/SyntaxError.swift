/// Builds the GraphQL errors the lexer and parser report: `Syntax Error: …` at one location,
/// with the code clients and servers use for parse failures.
enum SyntaxError {
    static let code = ErrorCode.parseFailed

    static func at(_ location: SourceLocation, _ message: String) -> GraphQLError {
        GraphQLError("Syntax Error: \(message)", locations: [location], code: code)
    }

    /// How an error names the character at a position: `"a"`, `'"'`, `U+00A0` or `<EOF>`.
    static func describe(scalar: UInt32?) -> String {
        guard let scalar else { return "<EOF>" }
        if scalar >= 0x20 && scalar <= 0x7E {
            // Printable ASCII, checked just above, is always a scalar value.
            return scalar == 0x22 ? "'\"'" : "\"\(Character(Unicode.Scalar(scalar)!))\""
        }
        let hex = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
