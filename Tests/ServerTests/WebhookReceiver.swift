import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A local HTTP server standing in for a webhook's receiver: it records every request and
/// answers each with the status `answer` picks for it.
final class WebhookReceiver: Sendable {
    struct Request: Sendable {
        let path: String
        let headers: [String: String]
        let body: String
    }

    private let received = Mutex<[Request]>([])
    private let answer: @Sendable (Request, Int) -> HTTPResponseStatus
    private let channel: Mutex<(any Channel)?> = Mutex(nil)

    /// `answer` gets each request and how many came to its path before it.
    init(answer: @escaping @Sendable (Request, Int) -> HTTPResponseStatus) {
        self.answer = answer
    }

    var requests: [Request] { received.withLock { $0 } }

    /// Starts listening on a free loopback port; returns the port.
    func start() async throws -> Int {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(receiver: self))
                }
            }
        let bound = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        channel.withLock { $0 = bound }
        return bound.localAddress?.port ?? 0
    }

    func stop() async {
        let bound = channel.withLock { $0 }
        try? await bound?.close()
    }

    fileprivate func respond(to request: Request) -> HTTPResponseStatus {
        let earlier = received.withLock { requests -> Int in
            let count = requests.filter { $0.path == request.path }.count
            requests.append(request)
            return count
        }
        return answer(request, earlier)
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let receiver: WebhookReceiver
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(receiver: WebhookReceiver) {
            self.receiver = receiver
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let requestHead):
                head = requestHead
                body.clear()
            case .body(var chunk):
                body.writeBuffer(&chunk)
            case .end:
                guard let head else { return }
                var headers: [String: String] = [:]
                for (name, value) in head.headers { headers[name.lowercased()] = value }
                let status = receiver.respond(to: Request(path: head.uri, headers: headers, body: String(buffer: body)))
                let text = status == .ok ? "ok" : "not now"
                var responseHeaders = HTTPHeaders([("Content-Length", String(text.utf8.count)), ("Content-Type", "text/plain")])
                responseHeaders.add(name: "Connection", value: "keep-alive")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: responseHeaders))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
