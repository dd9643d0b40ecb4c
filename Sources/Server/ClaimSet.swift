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

    /// A claim by path: `tenant_id`, or `https://example.com/claims.tenant` through nested objects.
    /// Keys may themselves contain dots: at each level a key equal to the rest of the path, or
    /// followed by a dot in it, is followed (the longest such key first).
    public func value(at path: String) -> JSONValue? {
        Self.value(at: Substring(path), in: claims)
    }

    private static func value(at path: Substring, in members: [(String, JSONValue)]) -> JSONValue? {
        if let direct = members.last(where: { $0.0 == path })?.1 { return direct }
        let prefixes = members.filter { path.hasPrefix($0.0 + ".") }.sorted { $0.0.count > $1.0.count }
        for (key, value) in prefixes {
            guard case .object(let nested) = value else { continue }
            if let found = Self.value(at: path.dropFirst(key.count + 1), in: nested) { return found }
        }
        return nil
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
