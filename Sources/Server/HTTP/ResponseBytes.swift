import Database
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
        let head = Head(response, version: version, keepAlive: keepAlive)
        var buffer = allocator.buffer(capacity: head.size + (includeBody ? response.body.readableBytes : 0))
        if !buffer.write(count: head.size, head.write) {
            assertionFailure("a response head's size computed wrong")
            buffer.clear()
            buffer.writeStaticString("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return buffer
        }
        if includeBody {
            var body = response.body
            buffer.writeBuffer(&body)
        }
        return buffer
    }

    /// A response's status line and header fields, measured first, then written in one go.
    private struct Head {
        let response: OutgoingResponse
        let http10: Bool
        /// Nil: the response has no `Content-Length` (an interim response, a 204).
        let contentLength: Int?
        let connection: StaticString?
        let date: String
        /// No header field holds a byte that could split the response (the usual case: then
        /// the fields are checked once, not again as they are written).
        private let allSafe: Bool
        private(set) var size = 0

        init(_ response: OutgoingResponse, version: HTTPVersion, keepAlive: Bool) {
            self.response = response
            http10 = version.major == 1 && version.minor == 0
            // RFC 9110 §8.6: no Content-Length on an interim (1xx) response or a 204.
            contentLength = response.status.code >= 200 && response.status != .noContent ? response.body.readableBytes : nil
            connection = if response.upgrade != nil {
                nil // the response's own `Connection: Upgrade` stands
            } else if !keepAlive {
                "Connection: close\r\n"
            } else if http10 {
                "Connection: keep-alive\r\n"
            } else {
                nil
            }
            date = HTTPDate.now()
            var size = 9 // "HTTP/1.1 "
            size += response.status == .ok ? 8 : ByteCursor.decimalCount(Int(response.status.code)) + 1 + response.status.reasonPhrase.utf8.count + 2
            var allSafe = true
            for (name, value) in response.headers where Head.belongs(name) {
                guard isFieldSafe(name), isFieldSafe(value) else {
                    allSafe = false
                    continue
                }
                size += name.utf8.count + 2 + value.utf8.count + 2
            }
            self.allSafe = allSafe
            if let contentLength { size += 16 + ByteCursor.decimalCount(contentLength) + 2 }
            size += 6 + date.utf8.count + 18
            size += connection?.utf8CodeUnitCount ?? 0
            self.size = size + 2
        }

        /// Every header is the server's own, but `Content-Length` is the body's; one that could
        /// split the response is dropped.
        private static func belongs(_ name: String) -> Bool {
            name != "Content-Length" && !name.isEmpty
        }

        func write(_ out: inout ByteCursor) {
            out.put(http10 ? "HTTP/1.0 " : "HTTP/1.1 ")
            if response.status == .ok {
                out.put("200 OK\r\n")
            } else {
                out.putDecimal(Int(response.status.code))
                out.put(UInt8(ascii: " "))
                out.put(response.status.reasonPhrase)
                out.put("\r\n")
            }
            for (name, value) in response.headers where Head.belongs(name) {
                guard allSafe || (isFieldSafe(name) && isFieldSafe(value)) else { continue }
                out.put(name)
                out.put(": ")
                out.put(value)
                out.put("\r\n")
            }
            if let contentLength {
                out.put("Content-Length: ")
                out.putDecimal(contentLength)
                out.put("\r\n")
            }
            out.put("Date: ")
            out.put(date)
            out.put("\r\nServer: Strata\r\n")
            if let connection { out.put(connection) }
            out.put("\r\n")
        }
    }

    /// The interim answer to `Expect: 100-continue`.
    static func continueInterim(allocator: ByteBufferAllocator) -> ByteBuffer {
        allocator.buffer(staticString: "HTTP/1.1 100 Continue\r\n\r\n")
    }

    private static func isFieldSafe(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") || byte == 0 { return false }
            return true
        }
    }
}
