import Testing
@testable import Database

@Suite("SQL script splitting")
struct SQLScriptTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var sql: String
        var statements: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain statements", sql: "SELECT 1;\nSELECT 2;", statements: ["SELECT 1", "SELECT 2"]),
        Case(name: "no trailing semicolon", sql: "SELECT 1", statements: ["SELECT 1"]),
        Case(name: "semicolon in a string", sql: "SELECT 'a;b'; SELECT 'it''s;'", statements: ["SELECT 'a;b'", "SELECT 'it''s;'"]),
        Case(name: "backslash escape in E string", sql: #"SELECT E'\';'; SELECT 2"#, statements: [#"SELECT E'\';'"#, "SELECT 2"]),
        Case(name: "quoted identifier", sql: #"CREATE TABLE "a;b" (x int); SELECT 1"#, statements: [#"CREATE TABLE "a;b" (x int)"#, "SELECT 1"]),
        Case(name: "dollar quoting", sql: "DO $$ BEGIN PERFORM 1; END $$; SELECT 1", statements: ["DO $$ BEGIN PERFORM 1; END $$", "SELECT 1"]),
        Case(name: "tagged dollar quoting", sql: "CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $$ $fn$ LANGUAGE sql; SELECT 2",
             statements: ["CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $$ $fn$ LANGUAGE sql", "SELECT 2"]),
        Case(name: "positional parameters are not dollar quotes", sql: "PREPARE p AS SELECT $1; SELECT 2", statements: ["PREPARE p AS SELECT $1", "SELECT 2"]),
        Case(name: "line comments", sql: "-- first; not a statement\nSELECT 1; -- trailing;\n", statements: ["SELECT 1"]),
        Case(name: "nested block comments", sql: "/* a /* b; */ c; */ SELECT 1;", statements: ["SELECT 1"]),
        Case(name: "SQL-standard function body", sql: "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END; SELECT 3",
             statements: ["CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END", "SELECT 3"]),
        Case(name: "empty statements", sql: ";;\n;", statements: []),
    ]

    @Test("splits on top-level semicolons only", arguments: cases)
    func split(_ testCase: Case) {
        #expect(SQLScript(testCase.sql).statements.map(\.text) == testCase.statements)
    }

    @Test("each statement knows its line and column, and maps server positions back")
    func positions() {
        let script = SQLScript("-- header\nCREATE TABLE a (x int);\n\n  CREATE TABLE b (\n    y intt\n  );")
        #expect(script.statements.map(\.line) == [2, 4])
        #expect(script.statements.map(\.column) == [1, 3])
        let second = script.statements[1]
        // PostgreSQL reports 1-based character positions within the statement it received.
        let position = Array(second.text).firstIndex(of: "i").map { $0 + 1 }!
        let location = second.fileLocation(ofPosition: position)
        #expect(location.line == 5 && location.column == 7)
    }

    @Test("\\r\\n line endings count once")
    func crlf() {
        let script = SQLScript("SELECT 1;\r\nSELECT 2;\r\n\r\nSELECT 3;")
        #expect(script.statements.map(\.line) == [1, 2, 4])
    }
}
