import NIOCore
import NIOHTTP1

/// A whole HTTP/1.1 response — status line, headers, body — written into one buffer, so the
/// connection sends it with one write and one flush.
enum ResponseBytes {
    /// `response` as an answer to a request of `version`. `includeBody` is false for `HEAD`
    /// (its `Content-Length` still says what a `GET` would get); `keepAlive` false adds
    /// `Connection: close`, true on HTTP/1.0 `Connection: keep-alive`.
    static func encode(_ response: OutgoingResponse, version: HTTPVersion, includeBody: Bool, keepAlive: Bool,
                       allocator: ByteBufferAllocator) -> ByteBuffer {
        let date = HTTPDate.now()
        var buffer = allocator.buffer(capacity: 160 + response.body.readableBytes + 32 * response.headers.count)
        writeStatusLine(response.status, version: version, into: &buffer)
        for (name, value) in response.headers where name != "Content-Length" && !name.isEmpty {
            // Every header is the server's own; one that could split the response is dropped.
            guard isFieldSafe(name), isFieldSafe(value) else { continue }
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        // RFC 9110 §8.6: no Content-Length on an interim (1xx) response or a 204.
        if response.status.code >= 200, response.status != .noContent {
            buffer.writeStaticString("Content-Length: ")
            buffer.writeString(String(response.body.readableBytes))
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("Date: ")
        buffer.writeString(date)
        buffer.writeStaticString("\r\nServer: Strata\r\n")
        if response.upgrade != nil {
            // The response's own `Connection: Upgrade` stands.
        } else if !keepAlive {
            buffer.writeStaticString("Connection: close\r\n")
        } else if version.major == 1, version.minor == 0 {
            buffer.writeStaticString("Connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
        if includeBody {
            var body = response.body
            buffer.writeBuffer(&body)
        }
        return buffer
    }

    /// The interim answer to `Expect: 100-continue`.
    static func continueInterim(allocator: ByteBufferAllocator) -> ByteBuffer {
        allocator.buffer(staticString: "HTTP/1.1 100 Continue\r\n\r\n")
    }

    private static func writeStatusLine(_ status: HTTPResponseStatus, version: HTTPVersion, into buffer: inout ByteBuffer) {
        if version.major == 1, version.minor == 0 {
            buffer.writeStaticString("HTTP/1.0 ")
        } else {
            buffer.writeStaticString("HTTP/1.1 ")
        }
        switch status {
        case .ok: buffer.writeStaticString("200 OK\r\n")
        default:
            buffer.writeString(String(status.code))
            buffer.writeStaticString(" ")
            buffer.writeString(status.reasonPhrase)
            buffer.writeStaticString("\r\n")
        }
    }

    private static func isFieldSafe(_ text: String) -> Bool {
        !text.utf8.contains { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 == 0 }
    }
}
