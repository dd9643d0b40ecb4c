/// Why the bytes a client sent are not a request Strata takes, with the status that says so. The
/// message says what was wrong and where, in words of its own: it never quotes the client's bytes.
public struct RequestSyntaxError: Error, Equatable, Sendable {
    /// 400, 414 (request line too long), 431 (header fields too large), 501 (a transfer coding
    /// other than chunked), or 505 (an HTTP version other than 1.0 and 1.1).
    public let status: Int
    public let message: String

    static func malformed(_ message: String) -> Self {
        Self(status: 400, message: message)
    }

    /// A problem on line `line` (1 is the request line) of the request's head.
    static func malformed(line: Int, _ problem: String) -> Self {
        Self(status: 400, message: "Line \(line) of the request head \(problem).")
    }

    static let targetTooLong = Self(status: 414, message: "The request line is longer than the server's limit.")
    static let fieldsTooLarge = Self(status: 431, message: "The request's header fields are too large.")
    static let trailersTooLarge = Self(status: 431, message: "The request's trailer fields are too large.")
    static let versionNotSupported = Self(status: 505, message: "The server speaks HTTP/1.1 and HTTP/1.0.")
    static let codingNotImplemented = Self(status: 501, message: "The server takes no transfer coding but chunked.")

    /// The `code` of the error in the response's body.
    var code: String {
        switch status {
        case 414: "uri-too-long"
        case 431: "headers-too-large"
        case 501: "not-implemented"
        case 505: "http-version-not-supported"
        default: "bad-request"
        }
    }
}
