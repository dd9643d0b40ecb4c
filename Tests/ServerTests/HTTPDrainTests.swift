import Logging
import NIOCore
import Server
import ServiceLifecycle
import Synchronization
import Testing

/// What a client sees when the server is asked to stop (SIGTERM): the request under way is
/// answered, with `Connection: close`; an idle kept-alive connection is closed; nothing new is
/// started.
@Suite("HTTP drain on shutdown")
struct HTTPDrainTests {
    /// Answers `/slow` only once the test opens the gate; anything else at once.
    final class GatedResponder: HTTPResponder {
        let (arrivals, arrived) = AsyncStream<Void>.makeStream()
        let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let opened = Mutex(false)

        func respond(to request: IncomingRequest, context: RequestContext) async -> OutgoingResponse {
            if request.path == "/slow" {
                await withCheckedContinuation { continuation in
                    let open = opened.withLock { $0 }
                    if open { continuation.resume() } else { gate.withLock { $0 = continuation } }
                    arrived.yield()
                }
            }
            return .json(.ok, #"{"path":"\#(request.path)"}"#)
        }

        func open() {
            opened.withLock { $0 = true }
            gate.withLock { $0 }?.resume()
        }
    }

    @Test("the request under way is answered with Connection: close, a pipelined one behind it is not started, an idle connection is closed")
    func drain() async throws {
        let responder = GatedResponder()
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let server = HTTPServer(configuration: ServerConfiguration(port: 0), responder: responder, bodyLimit: 1_000,
                                logger: Logger(label: "strata.test")) { url in
            announce.yield(Int(url.split(separator: ":").last ?? "") ?? 0)
        }
        let group = ServiceGroup(configuration: .init(services: [server], logger: Logger(label: "strata.test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var portIterator = ports.makeAsyncIterator()
            let port = try #require(await portIterator.next())

            let idle = try RawConnection(port: port, timeout: 20)
            idle.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await idle.read().hasPrefix("HTTP/1.1 200"))

            let busy = try RawConnection(port: port, timeout: 20)
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
            var arrivals = responder.arrivals.makeAsyncIterator()
            await arrivals.next()

            await group.triggerGracefulShutdown()
            let asked = ContinuousClock.now
            #expect(await idle.readToEnd() == "", "an idle connection closes with nothing sent")
            // Its read times out after 20 s: closing by itself ends it long before.
            #expect(ContinuousClock.now - asked < .seconds(10), "an idle connection closes at once")
            responder.open()
            let answer = await busy.readToEnd()
            #expect(HTTPCoreTests.statuses(answer) == ["HTTP/1.1 200"], "\(answer)")
            #expect(answer.contains(#"{"path":"/slow"}"#))
            #expect(answer.contains("Connection: close"))
            try await tasks.waitForAll()
        }
    }
}
