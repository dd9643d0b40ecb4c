@testable import strata
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@Suite("log lines on a stalled reader")
struct LogSinkTests {
    @Test("warnings, like routine lines, never make the logging thread wait on a reader that stalled; no line is lost")
    func stalledReader() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let sink = LogSink(descriptor: ends[1])
        // About 440 KB: several times what a pipe holds, far less than makes the logging thread write itself.
        let lines = (0..<4_000).map { Array("line \($0) \(String(repeating: "x", count: 100))\n".utf8) }
        let logged = DispatchSemaphore(value: 0)
        Thread {
            // Every tenth line a warning, as a slow request's would be.
            for (index, line) in lines.enumerated() { sink.write(line, urgent: index % 10 == 0) }
            logged.signal()
        }.start()
        let returned = logged.wait(timeout: .now() + 10) == .success
        #expect(returned, "logging waited for a reader that does not read")

        // The reader comes back: every line arrives, in order.
        let expected = lines.flatMap { $0 }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while received.count < expected.count {
            var ready = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 5_000) > 0 else { break }
            let count = read(ends[0], &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        if !returned { logged.wait() }
        #expect(received.count == expected.count)
        #expect(received == expected, "every line, in the order logged")
    }
}
