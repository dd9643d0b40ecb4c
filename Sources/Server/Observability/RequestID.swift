/// A request's id: the client's `X-Request-Id` when it is a sensible one (1 to 128 visible
/// ASCII characters), else a new random one of 32 hex digits. It is echoed in the response and
/// named in the request's log lines.
enum RequestID {
    static let header = "X-Request-Id"

    static func of(_ given: String?) -> String {
        if let given, (1...128).contains(given.utf8.count), given.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            return given
        }
        return make()
    }

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 32)
        for half in 0..<2 {
            var value = generator.next() as UInt64
            for index in 0..<16 {
                bytes[half * 16 + index] = digits[Int(value & 0xF)]
                value >>= 4
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
