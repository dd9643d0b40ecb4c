extension JSONValue {
    /// An object's member by key (the first, should the key repeat); nil for a missing key or a
    /// value that is no object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// An array's items; nil for any other value.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { items } else { nil }
    }
}
