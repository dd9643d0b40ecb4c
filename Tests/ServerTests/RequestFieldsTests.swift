@testable import Server
import Testing

@Suite("Request fields")
struct RequestFieldsTests {
    /// The fields found as a head is read.
    static func fields(_ lines: [String]) throws -> RequestFields {
        let head = Array(("POST / HTTP/1.1\r\n" + lines.map { $0 + "\r\n" }.joined()).utf8)
        return RequestFields(try head.withUnsafeBytes { try ParsedRequestHead.parse($0) }.found)
    }

    @Test("each field read is found in any case, its first value kept; look-alike names are not taken for it")
    func found() throws {
        let fields = try Self.fields([
            "AUTHORIZATION: Bearer one", "authorization: Bearer two", "Content-Type: application/json", "x-request-ID: abc",
            "Traceparent: 00-1-2-01", "Accept: */*", "Expect: 100-continue", "Upgrade: websocket", "Content-Length: 12",
            "X-Request-Idx: no", "Content_Length: 99", "Other: x",
        ])
        #expect(fields.authorization == "Bearer one")
        #expect(fields.contentType == "application/json" && fields.requestID == "abc" && fields.traceparent == "00-1-2-01")
        #expect(fields.accept == "*/*" && fields.expect == "100-continue" && fields.upgrade == "websocket")
        #expect(fields.contentLength == "12")
        let none = try Self.fields(["Host: x", "Content_Type: text/plain", "Authorizatio: x"])
        #expect(none.contentType == nil && none.authorization == nil && none.contentLength == nil)
    }
}
