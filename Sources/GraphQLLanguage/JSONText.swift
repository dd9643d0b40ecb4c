/// JSON string literals, written without Foundation's encoder on the request path.
public enum JSONText {
    /// `text` as a JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            // Most text (names, keys) needs no escape: one copy between the quotes.
            guard bytes.contains(where: needsEscape) else {
                return String(unsafeUninitializedCapacity: bytes.count + 2) { out in
                    out[0] = quote
                    _ = UnsafeMutableBufferPointer(rebasing: out[1...]).initialize(fromContentsOf: bytes)
                    out[bytes.count + 1] = quote
                    return bytes.count + 2
                }
            }
            var escaped: [UInt8] = [quote]
            escaped.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                guard needsEscape(byte) else {
                    escaped.append(byte)
                    continue
                }
                escaped.append(backslash)
                switch byte {
                case quote, backslash: escaped.append(byte)
                case 0x0A: escaped.append(UInt8(ascii: "n"))
                case 0x0D: escaped.append(UInt8(ascii: "r"))
                case 0x09: escaped.append(UInt8(ascii: "t"))
                case 0x08: escaped.append(UInt8(ascii: "b"))
                case 0x0C: escaped.append(UInt8(ascii: "f"))
                default:
                    escaped.append(contentsOf: "u00".utf8)
                    escaped.append(hexDigits[Int(byte >> 4)])
                    escaped.append(hexDigits[Int(byte & 0x0F)])
                }
            }
            escaped.append(quote)
            return String(decoding: escaped, as: UTF8.self)
        }
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Bytes of UTF-8 above 0x7F are never escaped: they belong to characters JSON carries as they are.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == quote || byte == backslash
    }
}
