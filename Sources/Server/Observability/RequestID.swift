import Synchronization

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

    /// Random for this process, drawn once: ids of different processes differ.
    private static let processPart = UInt64.random(in: .min ... .max)
    /// Counts up: ids of one process differ, with no system call per request.
    private static let sequence = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    /// 32 hex digits: 16 of the process's random part, 16 of a counter scrambled so that
    /// consecutive ids do not look alike.
    static func make() -> String {
        var counter = sequence.add(1, ordering: .relaxed).newValue
        // A bijection on 64 bits (SplitMix64's finalizer): distinct counters stay distinct.
        counter = (counter ^ (counter >> 30)) &* 0xBF58_476D_1CE4_E5B9
        counter = (counter ^ (counter >> 27)) &* 0x94D0_49BB_1331_11EB
        counter ^= counter >> 31
        let process = processPart
        return String(unsafeUninitializedCapacity: 32) { bytes in
            for index in 0..<16 {
                bytes[15 - index] = hexDigit(process >> (4 * UInt64(index)))
                bytes[31 - index] = hexDigit(counter >> (4 * UInt64(index)))
            }
            return 32
        }
    }

    /// The lowest four bits of `value` as a lowercase hex digit.
    private static func hexDigit(_ value: UInt64) -> UInt8 {
        let nibble = UInt8(truncatingIfNeeded: value & 0xF)
        return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
