/// An error as a GraphQL client sees it (spec §7.1.2): a message, the locations in the document it
/// concerns, the response path at execution, and machine-readable `extensions` (a `code` at least).
public struct GraphQLError: Error, Sendable, Equatable {
    public enum PathComponent: Sendable, Equatable {
        case field(String)
        case index(Int)
    }

    public var message: String
    public var locations: [SourceLocation]
    public var path: [PathComponent]
    public var code: String?
    /// More of `extensions` after the code, for a client to act on: the constraint a write broke,
    /// the table a check refused.
    public var details: [Detail]

    /// One more member of `extensions`, with a string value.
    public struct Detail: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(_ message: String, locations: [SourceLocation] = [], path: [PathComponent] = [], code: String? = nil,
                details: [Detail] = []) {
        self.message = message
        self.locations = locations
        self.path = path
        self.code = code
        self.details = details
    }

    /// The error as a JSON object, keys in the order the spec lists them.
    public var json: String {
        var parts = ["\"message\":\(JSONText.quoted(message))"]
        if !locations.isEmpty {
            let items = locations.map { "{\"line\":\($0.line),\"column\":\($0.column)}" }
            parts.append("\"locations\":[\(items.joined(separator: ","))]")
        }
        if !path.isEmpty {
            let items = path.map { component -> String in
                switch component {
                case .field(let name): JSONText.quoted(name)
                case .index(let index): String(index)
                }
            }
            parts.append("\"path\":[\(items.joined(separator: ","))]")
        }
        var extensions = code.map { ["\"code\":\(JSONText.quoted($0))"] } ?? []
        extensions += details.map { "\(JSONText.quoted($0.name)):\(JSONText.quoted($0.value))" }
        if !extensions.isEmpty {
            parts.append("\"extensions\":{\(extensions.joined(separator: ","))}")
        }
        return "{\(parts.joined(separator: ","))}"
    }

    /// A whole response body carrying only errors: `{"errors":[…]}`.
    public static func responseBody(_ errors: [GraphQLError]) -> String {
        "{\"errors\":[\(errors.map(\.json).joined(separator: ","))]}"
    }
}
