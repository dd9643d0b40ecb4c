import NIOCore
import NIOHTTP1

/// A request as the connection's handlers take it: its head, its body in pieces, its end.
enum RequestPart {
    case head(RequestHead)
    case body(ByteBuffer)
    case end
}

/// A request's head as read. A class: the part carrying it is copied on its way through the
/// pipeline, and one reference is cheaper to copy than its six fields.
final class RequestHead: Sendable {
    let method: HTTPMethod
    let uri: String
    let version: HTTPVersion
    /// The fields a request's handling reads.
    let fields: RequestFields
    /// Whether the connection stays open after the response.
    let keepAlive: Bool
    /// The request line and the fields as they came (validated), for the rare reader of every field.
    let bytes: ByteBuffer

    init(method: HTTPMethod, uri: String, version: HTTPVersion, fields: RequestFields, keepAlive: Bool, bytes: ByteBuffer) {
        self.method = method
        self.uri = uri
        self.version = version
        self.fields = fields
        self.keepAlive = keepAlive
        self.bytes = bytes
    }
}

/// The first handler of an HTTP connection: reads requests off its bytes (`RequestReader`, which
/// is strict where request smuggling lives) and passes them on as `RequestPart`s. Bytes not yet
/// read as a whole head or chunk line are kept for the next read; a body's bytes are passed on
/// as slices of what was read, not copied. Malformed input is passed on as a `RequestSyntaxError`
/// (the connection guard answers it and closes), after which nothing more is read as HTTP.
///
/// After a request with an `Upgrade` field, reading pauses: the bytes after it are kept, and
/// passed on as they are when this handler leaves the pipeline (a WebSocket's first frames after
/// a `101`). A refused upgrade closes the connection after its response.
final class RequestDecoder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = RequestPart

    private var reader: RequestReader
    /// Bytes read but not yet consumed by a step.
    private var kept: ByteBuffer?
    private var failed = false
    /// Paused after a request to upgrade: the bytes kept are not HTTP.
    private var paused = false
    /// Bytes kept while paused for an upgrade, at most: a client is to wait for the `101`.
    private let pausedLimit: Int

    init(lineLimit: Int, fieldLimit: Int) {
        reader = RequestReader(lineLimit: lineLimit, fieldLimit: fieldLimit)
        pausedLimit = max(fieldLimit, 16 * 1024)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var buffer = unwrapInboundIn(data)
        if var earlier = kept {
            kept = nil
            earlier.writeBuffer(&buffer)
            buffer = earlier
        }
        do {
            try decode(&buffer, context)
        } catch {
            failed = true
            kept = nil
            context.fireErrorCaught(error)
            return
        }
        if buffer.readableBytes > 0 { kept = buffer }
    }

    private func decode(_ buffer: inout ByteBuffer, _ context: ChannelHandlerContext) throws(RequestSyntaxError) {
        while true {
            let step = try buffer.withUnsafeReadableBytes { bytes throws(RequestSyntaxError) in try reader.next(bytes) }
            switch step {
            case .needMore(let consumed):
                buffer.moveReaderIndex(forwardBy: consumed)
                return
            case .paused:
                paused = true
                if buffer.readableBytes > pausedLimit {
                    kept = nil
                    buffer.clear()
                    context.close(promise: nil)
                }
                return
            case .head(let parsed, let range, let consumed):
                let bytes = buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count) ?? ByteBuffer()
                buffer.moveReaderIndex(forwardBy: consumed)
                let head = RequestHead(method: HTTPMethod(rawValue: parsed.method), uri: parsed.target,
                                       version: parsed.minorVersion == 1 ? .http1_1 : .http1_0, fields: RequestFields(parsed.found),
                                       keepAlive: parsed.keepAlive, bytes: bytes)
                context.fireChannelRead(wrapInboundOut(.head(head)))
            case .body(let range):
                let slice = buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count) ?? ByteBuffer()
                buffer.moveReaderIndex(forwardBy: range.upperBound)
                context.fireChannelRead(wrapInboundOut(.body(slice)))
            case .end(let consumed):
                buffer.moveReaderIndex(forwardBy: consumed)
                context.fireChannelRead(wrapInboundOut(.end))
            }
        }
    }

    /// Leaving after an upgrade: the bytes kept are the next protocol's, passed on as they are.
    /// (Bytes of an unfinished request, when the connection closes, go nowhere.)
    func handlerRemoved(context: ChannelHandlerContext) {
        guard paused, let leftOver = kept, leftOver.readableBytes > 0, context.channel.isActive else { return }
        kept = nil
        context.fireChannelRead(NIOAny(leftOver))
        context.fireChannelReadComplete()
    }
}
