import NIOCore
import NIOHTTP1
@testable import Server
import Testing

/// The bytes of a response as the connection writes them: status line, header fields, the
/// body's length, and the body.
@Suite("Response bytes")
struct ResponseBytesTests {
    /// The response's text with its `Date` value replaced by `DATE`.
    static func text(_ response: OutgoingResponse, version: HTTPVersion = .http1_1, includeBody: Bool = true,
                     keepAlive: Bool = true) -> String {
        let bytes = ResponseBytes.encode(response, version: version, includeBody: includeBody, keepAlive: keepAlive,
                                         allocator: ByteBufferAllocator())
        return String(buffer: bytes).replacing(/Date: [^\r]*\r\n/, with: "Date: DATE\r\n")
    }

    @Test("a JSON answer: status line, its own headers in order, the body's length, date and server, then the body")
    func json() {
        var response = OutgoingResponse.json(.ok, #"{"data":{"é":1}}"#)
        response.headers.add(name: "X-Request-Id", value: "abc")
        response.headers.add(name: "Content-Length", value: "999")
        #expect(Self.text(response) == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: abc\r\n"
            + "Content-Length: 17\r\nDate: DATE\r\nServer: Strata\r\n\r\n" + #"{"data":{"é":1}}"#)
    }

    @Test("a header that could split the response is dropped; other statuses carry their reason")
    func unsafeHeader() {
        var response = OutgoingResponse.json(.tooManyRequests, "{}")
        response.headers.add(name: "Retry-After", value: "1\r\nSet-Cookie: x=1")
        response.headers.add(name: "Bad\nName", value: "1")
        response.headers.add(name: "Allow", value: "POST")
        #expect(Self.text(response) == "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nAllow: POST\r\n"
            + "Content-Length: 2\r\nDate: DATE\r\nServer: Strata\r\n\r\n{}")
    }

    @Test("HEAD keeps the length and drops the body; HTTP/1.0 says keep-alive; a closing answer says close; 204 has no length")
    func connectionAndLength() {
        let response = OutgoingResponse.json(.ok, "{}")
        #expect(Self.text(response, includeBody: false).hasSuffix("Content-Length: 2\r\nDate: DATE\r\nServer: Strata\r\n\r\n"))
        #expect(Self.text(response, version: .http1_0)
            == "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nDate: DATE\r\nServer: Strata\r\n"
            + "Connection: keep-alive\r\n\r\n{}")
        #expect(Self.text(response, keepAlive: false).hasSuffix("Server: Strata\r\nConnection: close\r\n\r\n{}"))
        #expect(Self.text(OutgoingResponse(status: .noContent)) == "HTTP/1.1 204 No Content\r\nDate: DATE\r\nServer: Strata\r\n\r\n")
        #expect(Self.text(OutgoingResponse(status: .custom(code: 1000, reasonPhrase: "Odd")))
            == "HTTP/1.1 1000 Odd\r\nContent-Length: 0\r\nDate: DATE\r\nServer: Strata\r\n\r\n")
    }

    @Test("the Date header is RFC 9110's IMF-fixdate")
    func date() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
