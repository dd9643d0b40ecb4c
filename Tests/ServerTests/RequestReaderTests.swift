@testable import Server
import Testing

/// What the request decoder reads off a connection's bytes, however they are split, and what it
/// refuses: the shapes request smuggling is made of, each with the status and what was wrong.
@Suite("Request reader")
struct RequestReaderTests {
    /// What a client would see come of its bytes: heads, body bytes, ends, a pause, an error.
    enum Event: Equatable {
        case head(method: String, target: String, minor: Int, fields: [String], keepAlive: Bool)
        case body([UInt8])
        case end
        case paused
        case refused(status: Int, message: String)
    }

    /// Feeds `bytes` in pieces cut at `cuts`, keeping what a step did not consume as the
    /// decoder does; adjacent body pieces are joined, since where a body splits is the sender's.
    static func events(_ bytes: [UInt8], cuts: [Int] = [], lineLimit: Int = 1_024, fieldLimit: Int = 1_024) -> [Event] {
        var reader = RequestReader(lineLimit: lineLimit, fieldLimit: fieldLimit)
        var events: [Event] = []
        var kept: [UInt8] = []
        let bounds = ([0] + cuts.filter { $0 > 0 && $0 < bytes.count }.sorted() + [bytes.count])
        for (from, to) in zip(bounds, bounds.dropFirst()) {
            kept += bytes[from..<to]
            reading: while true {
                let step: RequestReader.Step
                do {
                    step = try kept.withUnsafeBytes { try reader.next($0) }
                } catch let error as RequestSyntaxError {
                    events.append(.refused(status: error.status, message: error.message))
                    return events
                } catch {
                    Issue.record("not a request syntax error: \(error)")
                    return events
                }
                switch step {
                case .needMore(let consumed):
                    kept.removeFirst(consumed)
                    break reading
                case .paused:
                    if events.last != .paused { events.append(.paused) }
                    break reading
                case .head(let head, let range, let consumed):
                    // The fields as the server reads them again when asked (`IncomingRequest.headers`).
                    let fields = (try? kept[range].withUnsafeBytes { try ParsedRequestHead.parse($0, keepingFields: true) })?.fields ?? []
                    kept.removeFirst(consumed)
                    events.append(.head(method: head.method, target: head.target, minor: head.minorVersion,
                                        fields: fields.map { "\($0.0)=\($0.1)" }, keepAlive: head.keepAlive))
                case .body(let range):
                    let piece = Array(kept[range])
                    kept.removeFirst(range.upperBound)
                    if case .body(let earlier) = events.last {
                        events[events.count - 1] = .body(earlier + piece)
                    } else {
                        events.append(.body(piece))
                    }
                case .end(let consumed):
                    kept.removeFirst(consumed)
                    events.append(.end)
                }
            }
        }
        return events
    }

    static func events(_ text: String, cuts: [Int] = [], lineLimit: Int = 1_024, fieldLimit: Int = 1_024) -> [Event] {
        events(Array(text.utf8), cuts: cuts, lineLimit: lineLimit, fieldLimit: fieldLimit)
    }

    /// The status and message a request is refused with, if it is.
    static func refusal(_ text: String) -> (status: Int, message: String)? {
        guard case .refused(let status, let message)? = events(text).last else { return nil }
        return (status, message)
    }

    static let pipelined = "\r\nGET /healthz?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"
        + "POST /graphql HTTP/1.1\r\nHost: a\r\nContent-Type:  application/json \t\r\nContent-Length: 11\r\n\r\n{\"query\":1}"
        + "POST /graphql HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4;name=value\r\n{\"qu\r\n7\r\nery\":1}\r\n0\r\nChecksum: abc\r\n\r\n"
        + "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"

    @Test("pipelined requests read the same in one piece, byte by byte, and split at random")
    func splitAnywhere() {
        let whole = Self.events(Self.pipelined)
        #expect(whole == [
            .head(method: "GET", target: "/healthz?x=1", minor: 1, fields: ["Host=a"], keepAlive: true), .end,
            .head(method: "POST", target: "/graphql", minor: 1, fields: ["Host=a", "Content-Type=application/json", "Content-Length=11"],
                  keepAlive: true),
            .body(Array(#"{"query":1}"#.utf8)), .end,
            .head(method: "POST", target: "/graphql", minor: 1, fields: ["Host=a", "Transfer-Encoding=chunked"], keepAlive: true),
            .body(Array(#"{"query":1}"#.utf8)), .end,
            .head(method: "GET", target: "/", minor: 0, fields: ["Connection=keep-alive"], keepAlive: true), .end,
        ])
        let count = Self.pipelined.utf8.count
        #expect(Self.events(Self.pipelined, cuts: Array(1..<count)) == whole)
        var random = HTTPGarbageTests.Seeded(state: 14)
        for _ in 0..<200 {
            let cuts = (0..<Int(random.next() % 6)).map { _ in Int(random.next() % UInt64(count)) }
            #expect(Self.events(Self.pipelined, cuts: cuts) == whole, "cut at \(cuts)")
        }
    }

    @Test("framing that two readers could take differently is refused: 400 with what was wrong")
    func smugglingShapes() {
        let cases: [(String, String)] = [
            ("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", "both Content-Length and Transfer-Encoding"),
            ("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", "Line 3 of the request head repeats Content-Length"),
            ("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n", "not a number of bytes"),
            ("POST / HTTP/1.1\r\nContent-Length: 5 5\r\n\r\n", "not a number of bytes"),
            ("POST / HTTP/1.1\r\nContent-Length: 0x5\r\n\r\n", "not a number of bytes"),
            ("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", "empty Content-Length"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "must end in chunked"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n", "must end in chunked"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "must end in chunked, named once"),
            ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.0 request may not have Transfer-Encoding"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n", "Line 2 of the request head has whitespace between a field's name and its colon"),
            ("POST / HTTP/1.1\r\nHost: a\r\n Transfer-Encoding: chunked\r\n\r\n", "Line 3 of the request head begins with whitespace"),
            ("POST / HTTP/1.1\r\nHost: a\nContent-Length: 5\r\n\r\n", "ends in LF without CR"),
            ("POST / HTTP/1.1\r\nHost: a\rContent-Length: 5\r\n\r\n", "control character"),
            ("POST / HTTP/1.1\r\nHost: a\u{0}b\r\n\r\n", "control character"),
            ("POST / HTTP/1.1\r\nHo\"st: a\r\n\r\n", "is not a field"),
            ("POST / HTTP/1.1\r\n: a\r\n\r\n", "no field name"),
            ("GET  / HTTP/1.1\r\n\r\n", "has no request target"),
            ("GET / HTTP/1.1 \r\n\r\n", "holds a character after its end"),
            ("GET /a b HTTP/1.1\r\n\r\n", "does not end in an HTTP version"),
            ("GET /\u{e9} HTTP/1.1\r\n\r\n", "a request target may not"),
            ("get\u{1}/ / HTTP/1.1\r\n\r\n", "a method may not"),
            ("GET / http/1.1\r\n\r\n", "does not end in an HTTP version"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", "chunk's size is too large"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "longer than its size says"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n;x\r\n", "does not begin with its size"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\n", "something other than extensions"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n", "size line ends in LF without CR"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX : y\r\n\r\n", "whitespace between a field's name and its colon"),
        ]
        for (request, problem) in cases {
            let refusal = Self.refusal(request)
            #expect(refusal?.status == 400 && refusal?.message.contains(problem) == true, "\(request.debugDescription): \(String(describing: refusal))")
        }
    }

    @Test("other versions are 505, other transfer codings 501, a long request line 414, large fields 431")
    func otherStatuses() {
        #expect(Self.refusal("GET / HTTP/2.0\r\n\r\n")?.status == 505)
        #expect(Self.refusal("GET / HTTP/1.2\r\n\r\n")?.status == 505)
        #expect(Self.refusal("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")?.status == 501)
        let longTarget = "/" + String(repeating: "a", count: 2_000)
        #expect(Self.refusal("GET \(longTarget) HTTP/1.1\r\n\r\n")?.status == 414)
        #expect(Self.refusal("GET \(longTarget)")?.status == 414, "a request line still coming is cut off at the limit")
        let bigField = "X-Big: " + String(repeating: "b", count: 2_000) + "\r\n"
        #expect(Self.refusal("GET / HTTP/1.1\r\n\(bigField)\r\n")?.status == 431)
        #expect(Self.refusal("GET / HTTP/1.1\r\n\(bigField)")?.status == 431, "fields still coming are cut off at the limit")
        let bigTrailer = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\(bigField)"
        #expect(Self.refusal(bigTrailer)?.status == 431)
        // Within the limits, the same shapes are taken.
        #expect(Self.refusal("GET \(longTarget) HTTP/1.1\r\n\(bigField)\r\n".replacingOccurrences(of: String(repeating: "a", count: 2_000), with: "a")
            .replacingOccurrences(of: String(repeating: "b", count: 2_000), with: "b")) == nil)
    }

    @Test("keep-alive: HTTP/1.1 unless Connection: close, HTTP/1.0 only with keep-alive, a list read word by word")
    func keepAlive() {
        func keepsAlive(_ head: String) -> Bool? {
            guard case .head(_, _, _, _, let keepAlive)? = Self.events(head + "\r\n").first else { return nil }
            return keepAlive
        }
        #expect(keepsAlive("GET / HTTP/1.1\r\n") == true)
        #expect(keepsAlive("GET / HTTP/1.1\r\nConnection: Upgrade, CLOSE\r\n") == false)
        #expect(keepsAlive("GET / HTTP/1.0\r\n") == false)
        #expect(keepsAlive("GET / HTTP/1.0\r\nConnection: ,Keep-Alive \r\n") == true)
        #expect(keepsAlive("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n") == false)
    }

    @Test("after a request to upgrade, what follows is not read as HTTP")
    func pausesAfterUpgrade() {
        let events = Self.events("GET /graphql HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u{81}\u{05}hello GET / HTTP/1.1\r\n\r\n")
        #expect(events.count == 3 && events[1] == .end && events[2] == .paused, "\(events)")
    }

    @Test("values keep their bytes but not the whitespace around them; a huge Content-Length is more than any limit")
    func valuesAndLengths() {
        let events = Self.events("POST /x HTTP/1.1\r\nX-Name: \t caf\u{e9} au lait \t\r\nX-Empty:\r\nContent-Length: 123456789012345678901234\r\n\r\n")
        guard case .head(_, _, _, let fields, _)? = events.first else {
            Issue.record("no head: \(events)")
            return
        }
        #expect(fields == ["X-Name=caf\u{e9} au lait", "X-Empty=", "Content-Length=123456789012345678901234"])
        var reader = RequestReader(lineLimit: 1_024, fieldLimit: 1_024)
        let head = Array("POST / HTTP/1.1\r\nContent-Length: 123456789012345678901234\r\n\r\n".utf8)
        let step = try? head.withUnsafeBytes { try reader.next($0) }
        guard case .head(let parsed, _, _)? = step, case .length(let length) = parsed.framing else {
            Issue.record("not a head with a length: \(String(describing: step))")
            return
        }
        #expect(length > 1 << 50)
    }
}
