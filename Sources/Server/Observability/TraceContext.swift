import Foundation

/// A W3C Trace Context `traceparent` header: `00-<trace id: 32 hex>-<parent id: 16 hex>-<flags: 2 hex>`.
/// A request that carries a valid one is part of the caller's trace: its trace id is logged
/// with the request and shown in `pg_stat_activity` while its statement runs.
public struct TraceContext: Sendable, Equatable {
    public var traceID: String
    public var parentID: String
    public var flags: String

    /// Reads the header; nil when absent or not valid (version `ff`, all-zero ids, wrong
    /// lengths or non-hex digits are not), as the specification says to ignore such headers.
    public init?(traceparent: String?) {
        guard let traceparent else { return nil }
        let parts = traceparent.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
              parts[0] != "00" || parts.count == 4,
              parts.prefix(4).allSatisfy({ $0.allSatisfy { $0.isHexDigit && !$0.isUppercase } }),
              parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" }) else { return nil }
        traceID = String(parts[1])
        parentID = String(parts[2])
        flags = String(parts[3])
    }

    /// Whether the caller records this trace.
    public var isSampled: Bool {
        guard let value = UInt8(flags, radix: 16) else { return false }
        return value & 1 == 1
    }

    /// The header that carries it on.
    public var traceparent: String { "00-\(traceID)-\(parentID)-\(flags)" }

    /// The `application_name` a traced request's connection shows in `pg_stat_activity`.
    public var applicationName: String { "strata trace=" + traceID }
}
