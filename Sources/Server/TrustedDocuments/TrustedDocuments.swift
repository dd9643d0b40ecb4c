import APISchema
import Crypto
import Foundation
import GraphQLLanguage
import GraphQLValidation
import SchemaModel

/// The project's trusted documents: every `*.graphql` file under `queries/`, each one document
/// named by the SHA-256 of its text, checked against the roles that may run it. A file's roles
/// are those its first comment lines name (`# roles: member, admin`); without such a line, every
/// role it validates for (and it must validate for one).
public struct TrustedDocuments: Sendable {
    /// One trusted document.
    public struct Entry: Sendable {
        /// 64 lowercase hex digits.
        public var id: String
        /// The file, relative to the project.
        public var path: String
        public var text: String
        /// The roles it validates for and may run under.
        public var roles: [String]
        /// Its operations: name (nil for an anonymous one) and type.
        public var operations: [(name: String?, type: OperationType)]
    }

    public let mode: TrustedDocumentsMode
    public let entries: [String: Entry]

    public init(mode: TrustedDocumentsMode, entries: [Entry] = []) {
        self.mode = mode
        self.entries = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every problem found in the trusted documents.
    public struct Problems: Error, Sendable, CustomStringConvertible {
        public var problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// A problem found in a trusted document, at its file, line and column.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "\(path):\(line):\(column): \(message)" }
    }

    /// Reads every `*.graphql` under `directory` (named `displayDirectory` in errors) and checks
    /// each against the APIs of its roles. Returns the documents, or every problem found.
    public static func load(directory: String, displayDirectory: String, apis: [String: RoleSchema],
                            limits: ParserLimits = .default) -> Result<[Entry], Problems> {
        let files = graphQLFiles(under: directory)
        var entries: [Entry] = []
        var problems: [Problem] = []
        for file in files {
            let path = displayDirectory + "/" + file
            guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else {
                problems.append(Problem(path: path, line: 1, column: 1, message: "cannot be read as UTF-8 text"))
                continue
            }
            switch check(text, path: path, apis: apis, limits: limits) {
            case .success(let entry): entries.append(entry)
            case .failure(let found): problems += found.problems
            }
        }
        return problems.isEmpty ? .success(entries) : .failure(Problems(problems: problems))
    }

    /// One document checked: parsed, then validated for each role it names (or, naming none,
    /// for every role, keeping those it passes).
    static func check(_ text: String, path: String, apis: [String: RoleSchema], limits: ParserLimits) -> Result<Entry, Problems> {
        let document: Document
        do {
            document = try Parser.parse(Source(text), limits: limits)
        } catch {
            return .failure(Problems(problems: problems(error, path: path)))
        }
        guard !document.operations.isEmpty else {
            return .failure(Problems(problems: [Problem(path: path, line: 1, column: 1, message: "holds no operation")]))
        }
        let named = declaredRoles(in: text)
        var problems: [Problem] = []
        for role in named where apis[role] == nil {
            problems.append(Problem(path: path, line: 1, column: 1,
                                    message: "names the role '\(role)', which the project does not serve\(NameSuggestion.hint(for: role, among: apis.keys.sorted()))"))
        }
        var passing: [String] = []
        var failures: [(role: String, errors: [GraphQLError])] = []
        for role in (named.isEmpty ? apis.keys.sorted() : named) {
            guard let api = apis[role] else { continue }
            let errors = Validator.validate(document, against: api.schema, maxSelectionDepth: api.limits.maxDepth, maxFields: api.limits.maxFields)
            if errors.isEmpty { passing.append(role) } else { failures.append((role, errors)) }
        }
        if !named.isEmpty {
            for (role, errors) in failures {
                problems += errors.flatMap { Self.problems($0, path: path, suffix: " (as \(role))") }
            }
        } else if passing.isEmpty {
            problems += failures.flatMap { role, errors in errors.flatMap { Self.problems($0, path: path, suffix: " (as \(role))") } }
            if failures.isEmpty { problems.append(Problem(path: path, line: 1, column: 1, message: "no role is served")) }
        }
        guard problems.isEmpty else { return .failure(Problems(problems: problems)) }
        return .success(Entry(id: digest(of: text), path: path, text: text, roles: passing,
                              operations: document.operations.map { ($0.name?.value, $0.operation) }))
    }

    /// A document's id: the SHA-256 of its text, as 64 lowercase hex digits.
    static func digest(of text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The roles a document's leading comment lines name: `# roles: member, admin`.
    static func declaredRoles(in text: String) -> [String] {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("#") else { break }
            let comment = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
            guard comment.hasPrefix("roles:") else { continue }
            return comment.dropFirst("roles:".count).split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        }
        return []
    }

    static func problems(_ error: GraphQLError, path: String, suffix: String = "") -> [Problem] {
        let location = error.locations.first
        return [Problem(path: path, line: location?.line ?? 1, column: location?.column ?? 1, message: error.message + suffix)]
    }

    /// The `*.graphql` files under `directory`, relative to it, in order.
    static func graphQLFiles(under directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let next = walker.nextObject() as? String {
            if next.hasSuffix(".graphql") { files.append(next) }
        }
        return files.sorted()
    }

    // MARK: Requests

    /// The document a request runs: the trusted one it names, or its own text when the mode
    /// allows it. Refused with `persisted-query-not-found` (nothing parsed) otherwise.
    func resolve(_ request: GraphQLRequest) -> Result<GraphQLRequest, GraphQLError> {
        if let id = request.documentID {
            guard mode != .off, let entry = entries[id] else {
                return .failure(GraphQLError(mode == .off ? "This server does not run documents by hash: send the document's text as \"query\"."
                                             : "No trusted document has the hash \(id).", code: ErrorCode.persistedQueryNotFound))
            }
            if !request.query.isEmpty, request.query != entry.text {
                return .failure(GraphQLError("The \"query\" sent is not the document its hash names.", code: ErrorCode.badRequest))
            }
            var resolved = request
            resolved.query = entry.text
            return .success(resolved)
        }
        guard mode == .require else { return .success(request) }
        guard entries[Self.digest(of: request.query)] != nil else {
            return .failure(GraphQLError("This server runs trusted documents only: send \"documentId\": \"sha256:<hex>\" of one of the project's documents (strata queries manifest lists them).",
                                         code: ErrorCode.persistedQueryNotFound))
        }
        return .success(request)
    }

    /// The manifest clients and codegen tools read: Apollo's persisted-query manifest format,
    /// one entry per document, named after its first operation.
    public func manifest() -> String {
        let operations = entries.values.sorted { $0.path < $1.path }.map { entry -> String in
            let first = entry.operations.first
            let name = first?.name ?? URL(fileURLWithPath: entry.path).deletingPathExtension().lastPathComponent
            return "{\"id\":\(JSONText.quoted(entry.id)),\"name\":\(JSONText.quoted(name)),\"type\":\(JSONText.quoted(first?.type.rawValue ?? "query")),"
                + "\"body\":\(JSONText.quoted(entry.text)),\"path\":\(JSONText.quoted(entry.path)),\"roles\":[\(entry.roles.map(JSONText.quoted).joined(separator: ","))]}"
        }
        return "{\"format\":\"apollo-persisted-query-manifest\",\"version\":1,\"operations\":[\n  " + operations.joined(separator: ",\n  ") + "\n]}\n"
    }
}
