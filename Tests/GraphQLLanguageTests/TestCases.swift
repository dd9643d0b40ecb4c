import Foundation

/// Case tables kept as data files under `Cases/`.
enum TestCases {
    static func url(_ path: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Cases").appendingPathComponent(path)
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: url(path), encoding: .utf8)
    }

    struct SyntaxErrorCase: Decodable, Sendable, CustomStringConvertible {
        var name: String
        var input: String
        var message: String
        var line: Int
        var column: Int
        var description: String { name }
    }

    static let syntaxErrors: [SyntaxErrorCase] = {
        let data = try! Data(contentsOf: url("syntax-errors.json"))
        return try! JSONDecoder().decode([SyntaxErrorCase].self, from: data)
    }()
}
