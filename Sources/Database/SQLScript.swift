/// A SQL file split into the statements PostgreSQL's extended protocol accepts one at a time.
///
/// The splitter knows PostgreSQL's lexical structure well enough to find the semicolons that end
/// statements: quoted strings (`'…'`, `E'…'` with backslash escapes), quoted identifiers, dollar
/// quoting (`$$…$$`, `$tag$…$tag$`), line and nested block comments, and SQL-standard function
/// bodies (`BEGIN ATOMIC … END`). Each statement remembers where it starts in the file so an error
/// position reported by the server can be turned back into a file line and column.
///
/// A `COPY … FROM stdin;` statement (as `pg_dump` writes them) carries the data lines after it,
/// up to the line `\.`, which are not SQL.
public struct SQLScript: Sendable {
    public struct Statement: Sendable, Equatable {
        public var text: String
        /// 1-based line and column of the statement's first character in the file.
        public var line: Int
        public var column: Int
        /// For `COPY … FROM stdin`: the rows that follow it in the file, each line ending in a
        /// newline, without the closing `\.` line.
        public var copyData: String?
        /// The file line of the first row of `copyData`.
        public var copyDataLine: Int?

        /// Maps a 1-based character position inside the statement (PostgreSQL's `position` field)
        /// to a line and column in the file.
        public func fileLocation(ofPosition position: Int) -> (line: Int, column: Int) {
            var line = self.line
            var column = self.column
            var previous: Unicode.Scalar?
            for (index, scalar) in text.unicodeScalars.enumerated() where index < position - 1 {
                if scalar == "\n" {
                    if previous != "\r" { line += 1 }
                    column = 1
                } else if scalar == "\r" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                previous = scalar
            }
            return (line, column)
        }
    }

    public let statements: [Statement]

    public init(_ source: String) {
        var splitter = Splitter(Array(source.unicodeScalars))
        statements = splitter.split()
    }
}

private struct Splitter {
    let scalars: [Unicode.Scalar]
    var index = 0
    var line = 1
    var column = 1

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    mutating func split() -> [SQLScript.Statement] {
        var statements: [SQLScript.Statement] = []
        var start: (index: Int, line: Int, column: Int)?
        var previousWord = ""
        var atomicDepth = 0
        var caseDepth = 0

        func finish(at end: Int) {
            guard let begin = start else { return }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[begin.index..<end])
            statements.append(SQLScript.Statement(text: String(text), line: begin.line, column: begin.column))
            start = nil
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                advance()
                continue
            }
            if scalar == "-", peek(1) == "-" {
                while index < scalars.count, scalars[index] != "\n", scalars[index] != "\r" { advance() }
                continue
            }
            if scalar == "/", peek(1) == "*" {
                skipBlockComment()
                continue
            }
            if scalar == ";" && start == nil {
                advance()
                continue
            }
            if start == nil { start = (index, line, column) }
            if scalar == ";" && atomicDepth == 0 {
                finish(at: index)
                advance()
                previousWord = ""
                if let last = statements.last, CopyStatement.readsStandardInput(last.text) {
                    readCopyData(into: &statements[statements.count - 1])
                }
                continue
            }
            if scalar == "'" {
                skipQuoted("'", backslashEscapes: false)
            } else if (scalar == "E" || scalar == "e"), peek(1) == "'", !isIdentifierChar(before: index) {
                advance()
                skipQuoted("'", backslashEscapes: true)
            } else if scalar == "\"" {
                skipQuoted("\"", backslashEscapes: false)
            } else if scalar == "$", !isIdentifierChar(before: index), let tag = dollarTag() {
                skipDollarQuoted(tag)
            } else if isIdentifierStart(scalar) {
                let word = readWord().uppercased()
                if previousWord == "BEGIN" && word == "ATOMIC" {
                    atomicDepth += 1
                } else if atomicDepth > 0 && word == "CASE" {
                    caseDepth += 1
                } else if atomicDepth > 0 && word == "END" {
                    if caseDepth > 0 { caseDepth -= 1 } else { atomicDepth -= 1 }
                }
                previousWord = word
            } else {
                advance()
            }
        }
        finish(at: scalars.count)
        return statements
    }

    /// The rows after a `COPY … FROM stdin;`: from the next line up to the line `\.` (or the end
    /// of the file), kept on the statement.
    mutating func readCopyData(into statement: inout SQLScript.Statement) {
        while index < scalars.count, scalars[index] != "\n", scalars[index] != "\r" { advance() }
        if index < scalars.count, scalars[index] == "\r" { advance() }
        if index < scalars.count, scalars[index] == "\n" { advance() }
        let firstLine = line
        var data = String.UnicodeScalarView()
        while index < scalars.count {
            var end = index
            while end < scalars.count, scalars[end] != "\n", scalars[end] != "\r" { end += 1 }
            let isEnd = end - index == 2 && scalars[index] == "\\" && scalars[index + 1] == "."
            if !isEnd { data.append(contentsOf: scalars[index..<end]) }
            while index < end { advance() }
            if index < scalars.count, scalars[index] == "\r" { advance() }
            if index < scalars.count, scalars[index] == "\n" { advance() }
            if isEnd { break }
            data.append("\n")
        }
        statement.copyData = String(data)
        statement.copyDataLine = firstLine
    }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    mutating func advance() {
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" {
            if index < 2 || scalars[index - 2] != "\r" { line += 1 }
            column = 1
        } else if scalar == "\r" {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    mutating func skipBlockComment() {
        var depth = 0
        repeat {
            if scalars[index] == "/", peek(1) == "*" {
                depth += 1
                advance(); advance()
            } else if scalars[index] == "*", peek(1) == "/" {
                depth -= 1
                advance(); advance()
            } else {
                advance()
            }
        } while depth > 0 && index < scalars.count
    }

    mutating func skipQuoted(_ quote: Unicode.Scalar, backslashEscapes: Bool) {
        advance()
        while index < scalars.count {
            let scalar = scalars[index]
            if backslashEscapes && scalar == "\\" {
                advance()
                if index < scalars.count { advance() }
            } else if scalar == quote {
                advance()
                guard index < scalars.count, scalars[index] == quote else { return }
                advance()
            } else {
                advance()
            }
        }
    }

    /// The `$tag$` opening a dollar-quoted string at the current index, if there is one.
    func dollarTag() -> [Unicode.Scalar]? {
        var end = index + 1
        while end < scalars.count, scalars[end] != "$" {
            let scalar = scalars[end]
            let allowed = isIdentifierStart(scalar) || (end > index + 1 && ("0"..."9").contains(scalar))
            guard allowed else { return nil }
            end += 1
        }
        guard end < scalars.count else { return nil }
        return Array(scalars[index...end])
    }

    mutating func skipDollarQuoted(_ tag: [Unicode.Scalar]) {
        for _ in tag { advance() }
        while index < scalars.count {
            if scalars[index] == "$", index + tag.count <= scalars.count,
               Array(scalars[index..<index + tag.count]) == tag {
                for _ in tag { advance() }
                return
            }
            advance()
        }
    }

    mutating func readWord() -> String {
        var word = String.UnicodeScalarView()
        while index < scalars.count, isIdentifierStart(scalars[index]) || ("0"..."9").contains(scalars[index]) || scalars[index] == "$" {
            word.append(scalars[index])
            advance()
        }
        return String(word)
    }

    func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.value >= 0x80
    }

    func isIdentifierChar(before position: Int) -> Bool {
        guard position > 0 else { return false }
        let scalar = scalars[position - 1]
        return isIdentifierStart(scalar) || ("0"..."9").contains(scalar) || scalar == "$"
    }
}
