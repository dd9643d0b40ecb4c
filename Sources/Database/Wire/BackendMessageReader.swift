import NIOCore

/// Cuts the bytes PostgreSQL sends into messages, whatever way the reads split them. A message
/// whose stated length is impossible ends the connection: nothing after it can be trusted.
struct BackendMessageReader {
    private var buffer: ByteBuffer?

    mutating func append(_ incoming: inout ByteBuffer) {
        if buffer == nil {
            buffer = incoming
        } else {
            buffer?.writeBuffer(&incoming)
        }
    }

    /// The next whole message, or nil until more bytes come.
    mutating func next() throws(WireProtocolError) -> BackendMessage? {
        guard var bytes = buffer, bytes.readableBytes >= 5 else { return nil }
        buffer = nil // `bytes` alone holds the storage while a message is cut out of it
        defer { buffer = bytes.readableBytes > 0 ? bytes : nil }
        let start = bytes.readerIndex
        // Both reads lie within the five readable bytes checked above.
        let type = bytes.getInteger(at: start, as: UInt8.self) ?? 0
        let length = Int(bytes.getInteger(at: start + 1, as: Int32.self) ?? 0)
        guard length >= 4, length <= BackendMessage.maximumLength else {
            throw WireProtocolError("a message of impossible length \(length)")
        }
        guard bytes.readableBytes > length, var body = bytes.getSlice(at: start + 5, length: length - 4) else { return nil }
        bytes.moveReaderIndex(forwardBy: 1 + length)
        return try BackendMessage.decode(type: type, body: &body)
    }
}
