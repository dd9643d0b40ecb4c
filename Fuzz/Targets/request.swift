/// Any bytes as what a client sends on an HTTP connection, read by the request decoder's reader
/// (`RequestReader`) twice: in one piece, and cut where the input's first bytes say. Both must
/// read the same heads, body bytes, ends and refusal, every step must stay within the bytes it
/// was given, and every step must consume bytes or wait for more — or the harness traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 2 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    // The first two bytes choose the cuts: every `stride` bytes from `offset`.
    let stride = Int(data[0] % 64) + 1
    let offset = Int(data[1]) % stride
    let cuts = Array(Swift.stride(from: offset, to: bytes.count, by: stride))
    let whole = read(bytes, cuts: [])
    let pieces = read(bytes, cuts: cuts)
    if whole != pieces { fatalError("cut every \(stride) from \(offset): \(whole) against \(pieces)") }
    return 0
}

/// What the reader made of `bytes` fed in pieces, as text.
private func read(_ bytes: [UInt8], cuts: [Int]) -> [String] {
    var reader = RequestReader(lineLimit: 512, fieldLimit: 1_024)
    var events: [String] = []
    var body: [UInt8] = []
    var kept: [UInt8] = []
    let bounds = [0] + cuts.filter { $0 > 0 } + [bytes.count]
    for (from, to) in zip(bounds, bounds.dropFirst()) where from < to {
        kept += bytes[from..<to]
        // Steps in a row that consumed nothing: an end after its head or body, at most.
        var idle = 0
        var before = kept.count
        while true {
            idle = kept.count == before ? idle + 1 : 0
            before = kept.count
            if idle > 3 { fatalError("no progress over \(kept.count) bytes") }
            let step: RequestReader.Step
            do {
                step = try kept.withUnsafeBytes { try reader.next($0) }
            } catch let error as RequestSyntaxError {
                if !body.isEmpty { events.append("body \(body)") }
                events.append("refused \(error.status) \(error.message)")
                return events
            } catch {
                fatalError("not a request syntax error: \(error)")
            }
            switch step {
            case .needMore(let consumed):
                precondition(consumed <= kept.count)
                kept.removeFirst(consumed)
            case .paused:
                if events.last != "paused" { events.append("paused") }
            case .head(let head, let range, let consumed):
                precondition(consumed > 0 && consumed <= kept.count && range.upperBound <= consumed)
                // Read again for every field, as `IncomingRequest.headers` does: it must not fail.
                let fields: [(String, String)]
                do {
                    fields = try kept[range].withUnsafeBytes { try ParsedRequestHead.parse($0, keepingFields: true) }.fields
                } catch {
                    fatalError("a head read once fails when read again: \(error)")
                }
                kept.removeFirst(consumed)
                events.append("head \(head.method) \(head.target) 1.\(head.minorVersion) \(fields) \(head.framing) \(head.keepAlive)")
                continue
            case .body(let range):
                precondition(!range.isEmpty && range.upperBound <= kept.count)
                body += kept[range]
                kept.removeFirst(range.upperBound)
                continue
            case .end(let consumed):
                precondition(consumed <= kept.count)
                kept.removeFirst(consumed)
                if !body.isEmpty { events.append("body \(body)") }
                body = []
                events.append("end")
                continue
            }
            break
        }
    }
    if !body.isEmpty { events.append("body \(body)") }
    return events
}
