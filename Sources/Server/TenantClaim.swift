import SchemaModel

/// Whether a tenant claim's text is a value of the tenant columns' type, checked at
/// authentication so a token with `"tenant_id": "acme"` is refused with 401 rather than failing
/// every statement with a type error from the database.
enum TenantClaim {
    static func fits(_ text: String, _ type: ColumnType) -> Bool {
        switch type.category {
        case .uuid: isUUID(text)
        case .integer: Int32(text) != nil
        case .bigint: Int64(text) != nil
        case .text: !text.utf8.contains(0)
        default: true
        }
    }

    /// `8-4-4-4-12` hexadecimal digits, the form PostgreSQL prints; braces and missing hyphens,
    /// which PostgreSQL also reads, are not expected in tokens.
    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isHex = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
                guard isHex else { return false }
            }
        }
        return true
    }
}
