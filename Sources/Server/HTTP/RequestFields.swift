import NIOHTTP1

/// The first value of each header field a request's handling reads — its body's length and
/// type, `Expect`, `Accept`, `Authorization`, `X-Request-Id`, `traceparent`, `Upgrade` — found in
/// one pass over the head's fields, where looking each up by name compared every field's name
/// again, eight times a request.
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

    public init(_ headers: HTTPHeaders) {
        var contentLength, contentType, expect, accept, authorization, requestID, traceparent, upgrade: String?
        for (name, value) in headers {
            var name = name
            name.withUTF8 { bytes in
                switch bytes.count {
                case 6 where Self.named(bytes, "accept"): if accept == nil { accept = value }
                case 6 where Self.named(bytes, "expect"): if expect == nil { expect = value }
                case 7 where Self.named(bytes, "upgrade"): if upgrade == nil { upgrade = value }
                case 11 where Self.named(bytes, "traceparent"): if traceparent == nil { traceparent = value }
                case 12 where Self.named(bytes, "content-type"): if contentType == nil { contentType = value }
                case 12 where Self.named(bytes, "x-request-id"): if requestID == nil { requestID = value }
                case 13 where Self.named(bytes, "authorization"): if authorization == nil { authorization = value }
                case 14 where Self.named(bytes, "content-length"): if contentLength == nil { contentLength = value }
                default: break
                }
            }
        }
        self.contentLength = contentLength
        self.contentType = contentType
        self.expect = expect
        self.accept = accept
        self.authorization = authorization
        self.requestID = requestID
        self.traceparent = traceparent
        self.upgrade = upgrade
    }

    /// Whether a field's name is `lowercase` in any case of its ASCII letters.
    private static func named(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { expected in
            guard expected.count == bytes.count else { return false }
            for index in 0..<bytes.count {
                let byte = bytes[index]
                let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                guard lowered == expected[index] else { return false }
            }
            return true
        }
    }
}
