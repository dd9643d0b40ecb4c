import Foundation
import Synchronization
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the server under test, for requests no HTTP client would send:
/// oversized headers, request heads trickled a byte at a time.
final class RawConnection: Sendable {
    let descriptor: Int32
    /// Bytes read past a response head, handed out by the next `readBytes`.
    private let unread = Mutex<[UInt8]>([])

    init(port: Int, timeout: Int = 30) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Sends the bytes; false when the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        send(bytes: Array(text.utf8))
    }

    @discardableResult
    func send(bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Says nothing more will be sent.
    func shutdownWrite() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Everything the server sends until it closes the connection (or 30 seconds pass), read
    /// on a thread of its own: a blocking read on the test's cooperative pool would stall the
    /// other tests running beside it.
    func readToEnd() async -> String {
        (try? await OwnThread.run { self.blockingReadToEnd() }) ?? ""
    }

    /// What one read returns (waiting up to the timeout), also on a thread of its own: for an
    /// interim response.
    func read() async -> String {
        String(decoding: await readBytes(), as: UTF8.self)
    }

    /// A response's head, however many reads it takes (up to `seconds`), and what came with
    /// it. After a `101 Switching Protocols`, bytes past the head are frames already: they are
    /// kept for the next `readBytes` rather than returned with the head.
    func readHead(within seconds: Int) async -> String {
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(seconds)
        let end = Array("\r\n\r\n".utf8)
        while ContinuousClock.now < deadline {
            let more = await readBytes()
            bytes += more
            if let range = Self.firstRange(of: end, in: bytes) {
                let head = Array(bytes[..<range.upperBound])
                guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101") else { break }
                unread.withLock { $0 = Array(bytes[range.upperBound...]) }
                return String(decoding: head, as: UTF8.self)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func firstRange(of needle: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
            return start..<start + needle.count
        }
        return nil
    }

    /// The bytes one read returns; empty once the server has closed.
    func readBytes() async -> [UInt8] {
        let kept = unread.withLock { bytes -> [UInt8] in
            defer { bytes = [] }
            return bytes
        }
        if !kept.isEmpty { return kept }
        return (try? await OwnThread.run {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
            return count > 0 ? Array(buffer[0..<count]) : []
        }) ?? []
    }

    private func blockingReadToEnd() -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }
}
