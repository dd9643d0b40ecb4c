import GraphQLTypeSystem
import JWTKit

/// A token's claims, whatever they are: the YAML decides which ones make the session, so the
/// payload is read as plain JSON. Expiry, not-before, issuer and audience are checked by
/// `TokenAuthenticator` against the project's settings.
public struct ClaimSet: JWTPayload, Equatable {
    public var claims: [(String, JSONValue)]

    public init(_ claims: [(String, JSONValue)]) {
        self.claims = claims
    }

    public static func == (lhs: ClaimSet, rhs: ClaimSet) -> Bool {
        JSONValue.object(lhs.claims) == JSONValue.object(rhs.claims)
    }

    /// A claim by path: `tenant_id`, or `https://example.com/claims.tenant` through nested objects
    /// (the whole name is tried first, so names containing dots still work).
    public func value(at path: String) -> JSONValue? {
        if let direct = claims.last(where: { $0.0 == path })?.1 { return direct }
        var current = JSONValue.object(claims)
        for step in path.split(separator: ".") {
            guard case .object(let members) = current, let next = members.last(where: { $0.0 == step })?.1 else { return nil }
            current = next
        }
        return current
    }

    public var json: String { JSONValue.object(claims).serialized }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    public init(from decoder: any Decoder) throws {
        guard case .object(let members) = try AnyJSON(from: decoder).value else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a token's payload must be a JSON object"))
        }
        claims = members
    }

    public func encode(to encoder: any Encoder) throws {
        try AnyJSON(JSONValue.object(claims)).encode(to: encoder)
    }
}

/// Any JSON value through `Codable`, numbers kept as their text.
struct AnyJSON: Codable {
    let value: JSONValue

    init(_ value: JSONValue) {
        self.value = value
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            value = .object(try object.allKeys.map { ($0.stringValue, try object.decode(AnyJSON.self, forKey: $0).value) })
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !array.isAtEnd { items.append(try array.decode(AnyJSON.self).value) }
            value = .array(items)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                value = .null
            } else if let flag = try? single.decode(Bool.self) {
                value = .bool(flag)
            } else if let integer = try? single.decode(Int64.self) {
                value = .number(String(integer))
            } else if let number = try? single.decode(Double.self) {
                value = .number(String(number))
            } else {
                value = .string(try single.decode(String.self))
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let flag):
            var single = encoder.singleValueContainer()
            try single.encode(flag)
        case .number(let text):
            var single = encoder.singleValueContainer()
            if let integer = Int64(text) { try single.encode(integer) } else { try single.encode(Double(text) ?? 0) }
        case .string(let text):
            var single = encoder.singleValueContainer()
            try single.encode(text)
        case .array(let items):
            var array = encoder.unkeyedContainer()
            for item in items { try array.encode(AnyJSON(item)) }
        case .object(let members):
            var object = encoder.container(keyedBy: Key.self)
            for (key, item) in members { try object.encode(AnyJSON(item), forKey: Key(stringValue: key)) }
        }
    }
}
