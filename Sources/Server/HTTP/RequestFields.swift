/// The first value of each header field a request's handling reads — its body's length and
/// type, `Expect`, `Accept`, `Authorization`, `X-Request-Id`, `traceparent`, `Upgrade` — found in
/// the one pass that reads the head's fields, where looking each up by name compared every
/// field's name again, eight times a request.
public final class RequestFields: Sendable {
    // A class: a request is handed along by value several times, and one reference is one
    // retain where eight strings were eight.
    public let contentLength: String?
    public let contentType: String?
    public let expect: String?
    public let accept: String?
    public let authorization: String?
    public let requestID: String?
    public let traceparent: String?
    public let upgrade: String?

    init(_ found: Finder) {
        contentLength = found.contentLength
        contentType = found.contentType
        expect = found.expect
        accept = found.accept
        authorization = found.authorization
        requestID = found.requestID
        traceparent = found.traceparent
        upgrade = found.upgrade
    }

    /// Takes each field's first value as the fields go by.
    struct Finder {
        var contentLength, contentType, expect, accept, authorization, requestID, traceparent, upgrade: String?

        /// Keeps the value if the field is one of those read and the first of its name.
        mutating func take(_ field: Known, _ value: @autoclosure () -> String) {
            switch field {
            case .accept: if accept == nil { accept = value() }
            case .expect: if expect == nil { expect = value() }
            case .upgrade: if upgrade == nil { upgrade = value() }
            case .traceparent: if traceparent == nil { traceparent = value() }
            case .contentType: if contentType == nil { contentType = value() }
            case .requestID: if requestID == nil { requestID = value() }
            case .authorization: if authorization == nil { authorization = value() }
            case .contentLength: if contentLength == nil { contentLength = value() }
            case .connection, .transferEncoding: break
            }
        }
    }

    /// The fields whose values a request's reading or handling looks at.
    enum Known {
        case accept, expect, upgrade, traceparent, contentType, requestID, authorization, contentLength
        /// Read for keep-alive and framing, not kept.
        case connection, transferEncoding

        /// Which one a field's name (as sent, in any case) names, if any.
        init?(name: UnsafeRawBufferPointer) {
            switch name.count {
            case 6 where Self.named(name, "accept"): self = .accept
            case 6 where Self.named(name, "expect"): self = .expect
            case 7 where Self.named(name, "upgrade"): self = .upgrade
            case 10 where Self.named(name, "connection"): self = .connection
            case 11 where Self.named(name, "traceparent"): self = .traceparent
            case 12 where Self.named(name, "content-type"): self = .contentType
            case 12 where Self.named(name, "x-request-id"): self = .requestID
            case 13 where Self.named(name, "authorization"): self = .authorization
            case 14 where Self.named(name, "content-length"): self = .contentLength
            case 17 where Self.named(name, "transfer-encoding"): self = .transferEncoding
            default: return nil
            }
        }

        /// Whether `bytes` are `lowercase` in any case of their ASCII letters (same length).
        @inline(__always)
        static func named(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
            let expected = lowercase.utf8Start
            for index in 0..<bytes.count {
                let byte = bytes[index]
                let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                guard lowered == expected[index] else { return false }
            }
            return true
        }

        /// Whether a list element is `lowercase` in any case.
        static func element(_ bytes: UnsafeRawBufferPointer, is lowercase: StaticString) -> Bool {
            bytes.count == lowercase.utf8CodeUnitCount && named(bytes, lowercase)
        }
    }
}
