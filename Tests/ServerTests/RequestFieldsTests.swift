import NIOHTTP1
@testable import Server
import Testing

@Suite("Request fields")
struct RequestFieldsTests {
    @Test("each field read is found in any case, its first value kept; look-alike names are not taken for it")
    func found() {
        let fields = RequestFields(HTTPHeaders([
            ("AUTHORIZATION", "Bearer one"), ("authorization", "Bearer two"), ("Content-Type", "application/json"),
            ("x-request-ID", "abc"), ("Traceparent", "00-1-2-01"), ("Accept", "*/*"), ("Expect", "100-continue"),
            ("Upgrade", "websocket"), ("Content-Length", "12"), ("Content\rLength", "99"), ("X-Request-Idx", "no"), ("Other", "x"),
        ]))
        #expect(fields.authorization == "Bearer one")
        #expect(fields.contentType == "application/json" && fields.requestID == "abc" && fields.traceparent == "00-1-2-01")
        #expect(fields.accept == "*/*" && fields.expect == "100-continue" && fields.upgrade == "websocket")
        #expect(fields.contentLength == "12")
        let none = RequestFields(HTTPHeaders([("Host", "x"), ("Content_Type", "text/plain")]))
        #expect(none.contentType == nil && none.authorization == nil && none.contentLength == nil)
    }
}
