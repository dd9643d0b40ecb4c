import Logging
import NIOCore
import NIOPosix

/// Asks PostgreSQL to cancel what a backend runs now, the protocol's way: a connection of its own
/// carrying the backend's process ID and secret key, nothing else. No login, no password, no
/// connection slot — it works when `max_connections` is reached, which is when a client that
/// gave up is most likely to leave a statement running.
enum CancelRequest {
    static let code: Int32 = 80_877_102

    static func send(processID: Int32, secretKey: Int32, to endpoint: DatabaseEndpoint, on eventLoop: any EventLoop,
                     logger: Logger) async {
        do {
            let bootstrap = ClientBootstrap(group: eventLoop).connectTimeout(.seconds(5))
            let channel: any Channel
            switch endpoint.address {
            case .tcp(let host, let port): channel = try await bootstrap.connect(host: host, port: port).get()
            case .unixSocket(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
            var packet = channel.allocator.buffer(capacity: 16)
            packet.writeInteger(Int32(16))
            packet.writeInteger(code)
            packet.writeInteger(processID)
            packet.writeInteger(secretKey)
            // The server answers nothing and closes once it has read the request; one that does
            // not is left after a while.
            let giveUp = eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
            try await channel.writeAndFlush(packet)
            try? await channel.closeFuture.get()
            giveUp.cancel()
        } catch where !Task.isCancelled {
            logger.warning("could not ask PostgreSQL to cancel a statement",
                           metadata: ["backend": "\(processID)", "error": "\(String(reflecting: error))"])
        } catch {
            // The statement ended meanwhile; nothing is left to cancel.
        }
    }
}
