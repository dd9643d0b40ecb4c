extension Lexer {
    /// Reads an IntValue or FloatValue (spec §2.1.10–§2.1.11) and says whether it was a float.
    ///
    /// Leading zeros (`00`), a missing fraction or exponent digit (`1.`, `1e`), and a number
    /// running into a name or a dot (`0x1`, `123L`, `1.2.3`) are errors.
    mutating func readNumber() throws(GraphQLError) -> Bool {
        var isFloat = false
        if byte(position) == UInt8(ascii: "-") { position += 1 }
        if byte(position) == UInt8(ascii: "0") {
            position += 1
            if let next = byte(position), Self.isDigit(next) {
                throw error(at: position, "Invalid number, unexpected digit after 0: \(SyntaxError.describe(scalar: UInt32(next))).")
            }
        } else {
            try readDigits()
        }
        if byte(position) == UInt8(ascii: ".") {
            isFloat = true
            position += 1
            try readDigits()
        }
        if byte(position) == UInt8(ascii: "e") || byte(position) == UInt8(ascii: "E") {
            isFloat = true
            position += 1
            if byte(position) == UInt8(ascii: "+") || byte(position) == UInt8(ascii: "-") { position += 1 }
            try readDigits()
        }
        if let next = byte(position), next == UInt8(ascii: ".") || Self.isNameStart(next) {
            throw error(at: position, "Invalid number, expected digit but got: \(SyntaxError.describe(scalar: scalar(at: position))).")
        }
        return isFloat
    }

    /// One or more digits.
    mutating func readDigits() throws(GraphQLError) {
        guard let first = byte(position), Self.isDigit(first) else {
            throw error(at: position, "Invalid number, expected digit but got: \(SyntaxError.describe(scalar: scalar(at: position))).")
        }
        position += 1
        while let next = byte(position), Self.isDigit(next) { position += 1 }
    }
}
