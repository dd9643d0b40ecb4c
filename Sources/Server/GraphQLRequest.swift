import GraphQLLanguage
import GraphQLTypeSystem

/// A GraphQL request as GraphQL over HTTP defines it: the document's text, the operation to
/// run, and the variables, from a POST body or GET parameters.
public struct GraphQLRequest: Sendable, Equatable {
    /// The document's text; empty when the request names a trusted document instead.
    public var query: String
    public var operationName: String?
    public var variables: [String: JSONValue]
    /// A trusted document's SHA-256, as 64 lowercase hex digits: from `documentId`
    /// (`sha256:<hex>`, the persisted-documents proposal of GraphQL over HTTP) or Apollo's
    /// `extensions.persistedQuery.sha256Hash`.
    public var documentID: String?

    public init(query: String, operationName: String? = nil, variables: [String: JSONValue] = [:], documentID: String? = nil) {
        self.query = query
        self.operationName = operationName
        self.variables = variables
        self.documentID = documentID
    }

    /// Reads `{"query": …, "operationName": …, "variables": {…}, "extensions": {…}}`.
    public static func parse(body: [UInt8]) throws(RequestProblem) -> GraphQLRequest {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes: body, maxDepth: 256)
        } catch {
            throw RequestProblem(.badRequest, "The request body is not valid JSON: \(error.message)")
        }
        return try parse(json: json)
    }

    /// Reads the request from a JSON object (a POST body, a WebSocket message's payload).
    public static func parse(json: JSONValue) throws(RequestProblem) -> GraphQLRequest {
        guard case .object(let members) = json else {
            throw RequestProblem(.badRequest, "The request body must be a JSON object with a \"query\" string.")
        }
        // A key given twice counts as its last value; a body has a handful of keys, fewer to
        // scan than to hash into a dictionary.
        func field(_ name: String) -> JSONValue? { members.last { $0.0 == name }?.1 }
        let documentID = try documentID(field("documentId"), extensions: field("extensions"))
        let query: String
        switch field("query") {
        case .string(let text)?: query = text
        case nil, .null?:
            guard documentID != nil else { throw RequestProblem(.badRequest, "The request has no \"query\" (nor a \"documentId\").") }
            query = ""
        default: throw RequestProblem(.badRequest, "\"query\" must be a string.")
        }
        return GraphQLRequest(query: query, operationName: try operationName(field("operationName")),
                              variables: try variables(field("variables")), documentID: documentID)
    }

    /// Reads GET parameters: `query`, `operationName`, `variables` and `extensions` (JSON text).
    public static func parse(parameters: [String: String]) throws(RequestProblem) -> GraphQLRequest {
        let variables = try jsonParameter("variables", parameters)
        let documentID = try documentID(parameters["documentId"].map(JSONValue.string), extensions: try jsonParameter("extensions", parameters))
        guard let query = parameters["query"] ?? (documentID == nil ? nil : "") else {
            throw RequestProblem(.badRequest, "The request has no \"query\" parameter (nor a \"documentId\").")
        }
        let name = parameters["operationName"].flatMap { $0.isEmpty ? nil : JSONValue.string($0) }
        return GraphQLRequest(query: query, operationName: try operationName(name), variables: try Self.variables(variables),
                              documentID: documentID)
    }

    /// The trusted document a request names: `documentId` (`sha256:<hex>`) or Apollo's
    /// `extensions.persistedQuery.sha256Hash`; both must agree when both are given.
    private static func documentID(_ value: JSONValue?, extensions: JSONValue?) throws(RequestProblem) -> String? {
        try checkExtensions(extensions)
        var found: String?
        switch value {
        case nil, .null?: break
        case .string(let text)? where text.hasPrefix("sha256:") && isDigest(text.dropFirst(7)):
            found = text.dropFirst(7).lowercased()
        default:
            throw RequestProblem(.badRequest, "\"documentId\" must be \"sha256:\" followed by the document's 64 hex digits.")
        }
        if case .object(let members)? = extensions, let persisted = members.first(where: { $0.0 == "persistedQuery" })?.1, persisted != .null {
            guard case .object(let fields) = persisted, case .string(let hash)? = fields.first(where: { $0.0 == "sha256Hash" })?.1,
                  isDigest(hash[...]) else {
                throw RequestProblem(.badRequest, "\"extensions.persistedQuery\" must hold \"sha256Hash\": the document's 64 hex digits.")
            }
            if let found, found != hash.lowercased() {
                throw RequestProblem(.badRequest, "\"documentId\" and \"extensions.persistedQuery.sha256Hash\" name different documents.")
            }
            found = hash.lowercased()
        }
        return found
    }

    private static func isDigest(_ text: Substring) -> Bool {
        text.utf8.count == 64 && text.allSatisfy(\.isHexDigit)
    }

    /// A GET parameter that holds JSON text; nil when absent or empty.
    private static func jsonParameter(_ name: String, _ parameters: [String: String]) throws(RequestProblem) -> JSONValue? {
        guard let text = parameters[name], !text.isEmpty else { return nil }
        do {
            return try JSONValue.parse(text, maxDepth: 256)
        } catch {
            throw RequestProblem(.badRequest, "The \"\(name)\" parameter is not valid JSON: \(error.message)")
        }
    }

    /// `extensions`, which Strata does not read, must still be a map when present.
    private static func checkExtensions(_ value: JSONValue?) throws(RequestProblem) {
        switch value {
        case nil, .null?, .object?: return
        default: throw RequestProblem(.badRequest, "\"extensions\" must be a JSON object or null.")
        }
    }

    private static func operationName(_ value: JSONValue?) throws(RequestProblem) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let name)?: return name
        default: throw RequestProblem(.badRequest, "\"operationName\" must be a string or null.")
        }
    }

    private static func variables(_ value: JSONValue?) throws(RequestProblem) -> [String: JSONValue] {
        switch value {
        case nil, .null?: return [:]
        case .object(let members)?: return Dictionary(members, uniquingKeysWith: { $1 })
        default: throw RequestProblem(.badRequest, "\"variables\" must be a JSON object or null.")
        }
    }
}

/// A request the server cannot take as a GraphQL request at all: the HTTP status it earns and
/// what to tell the client.
public struct RequestProblem: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case badRequest, unauthorized, methodNotAllowed, notAcceptable, payloadTooLarge, unsupportedMediaType
    }

    public var kind: Kind
    public var message: String
    public var code: String

    public init(_ kind: Kind, _ message: String, code: String? = nil) {
        self.kind = kind
        self.message = message
        self.code = code ?? {
            switch kind {
            case .badRequest: ErrorCode.badRequest
            case .unauthorized: ErrorCode.invalidJWT
            case .methodNotAllowed: ErrorCode.methodNotAllowed
            case .notAcceptable: ErrorCode.notAcceptable
            case .payloadTooLarge: ErrorCode.payloadTooLarge
            case .unsupportedMediaType: ErrorCode.unsupportedMediaType
            }
        }()
    }

    public var error: GraphQLError { GraphQLError(message, code: code) }
}
