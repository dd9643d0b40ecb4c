#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// What both log handlers share: a UTC timestamp made without Foundation's formatters (the
/// date part is made once a second), and lines written to standard error whole, never
/// interleaved, gathered into one `write` every few milliseconds by a thread of their own
/// (`LogSink`).
enum LogOutput {
    private struct Second {
        var epoch = -1
        /// `2026-11-30T14:05:09`.
        var text: [UInt8] = []
    }

    private static let second = Mutex(Second())

    /// `2026-11-30T14:05:09.123Z`.
    static func timestamp() -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        timestamp(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the timestamp to `line`, making no string.
    static func timestamp(into line: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let epoch = Int(now.tv_sec)
        second.withLock { second in
            if second.epoch != epoch {
                var seconds = time_t(epoch)
                var parts = tm()
                gmtime_r(&seconds, &parts)
                second.epoch = epoch
                var text: [UInt8] = []
                pad(Int(parts.tm_year) + 1900, 4, into: &text)
                text.append(UInt8(ascii: "-"))
                pad(Int(parts.tm_mon) + 1, 2, into: &text)
                text.append(UInt8(ascii: "-"))
                pad(Int(parts.tm_mday), 2, into: &text)
                text.append(UInt8(ascii: "T"))
                pad(Int(parts.tm_hour), 2, into: &text)
                text.append(UInt8(ascii: ":"))
                pad(Int(parts.tm_min), 2, into: &text)
                text.append(UInt8(ascii: ":"))
                pad(Int(parts.tm_sec), 2, into: &text)
                second.text = text
            }
            line.append(contentsOf: second.text)
        }
        line.append(UInt8(ascii: "."))
        pad(Int(now.tv_nsec) / 1_000_000, 3, into: &line)
        line.append(UInt8(ascii: "Z"))
    }

    /// `value`'s last `width` decimal digits, zeros in front.
    private static func pad(_ value: Int, _ width: Int, into line: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            line.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Standard error's lines.
    static let standardError = LogSink(descriptor: 2)

    /// Writes `line` (ending in a newline) to standard error (`LogSink.write`).
    static func write(_ line: String, urgent: Bool) {
        standardError.write(Array(line.utf8), urgent: urgent)
    }

    static func write(_ line: [UInt8], urgent: Bool) {
        standardError.write(line, urgent: urgent)
    }

    /// Writes every waiting line of standard error now.
    static func flush() {
        standardError.flush()
    }
}

/// Lines bound for one file descriptor, written by a thread of their own so that the thread
/// that logs — an event loop — never waits on the write. Routine lines are gathered and written
/// together every `flushInterval` (one write for many requests' lines); an urgent one (a
/// `warning` or worse) wakes the writer at once, after those waiting, so order holds. A reader
/// that stalls (a full pipe to a collector) blocks only the writer: lines wait, and only past
/// `stalledFlushBytes` does the thread that logs write them itself — a line is never dropped,
/// and the waiting ones stay bounded.
final class LogSink: Sendable {
    /// Lines waiting to be written, and whether the flushing thread runs.
    private struct Pending {
        var bytes: [UInt8] = []
        var flusherStarted = false
    }

    let descriptor: Int32
    private let pending = Mutex(Pending())
    private let writing = Mutex(())
    /// How long a line may wait before it is written.
    static let flushInterval: Duration = .milliseconds(20)
    /// Waiting lines past this size wake the flushing thread before its interval is up.
    static let earlyFlushBytes = 1 << 16
    /// Past this size (the reader has stalled) the thread that logs writes the lines itself.
    static let stalledFlushBytes = 1 << 22
    /// Signalled when the flushing thread should write before its interval is up.
    private let wakeFlusher = DispatchSemaphore(value: 0)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    func write(_ line: [UInt8], urgent: Bool) {
        let (startFlusher, size) = pending.withLock { pending -> (Bool, Int) in
            pending.bytes.append(contentsOf: line)
            defer { pending.flusherStarted = true }
            return (!pending.flusherStarted, pending.bytes.count)
        }
        if startFlusher {
            if descriptor == 2 { atexit { LogOutput.flush() } }
            let thread = Thread { [self] in
                let (seconds, attoseconds) = Self.flushInterval.components
                let interval = DispatchTimeInterval.nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
                while true {
                    _ = wakeFlusher.wait(timeout: .now() + interval)
                    flush()
                }
            }
            thread.name = "strata log writer"
            thread.start()
        }
        if size > Self.stalledFlushBytes {
            flush()
        } else if urgent || (size > Self.earlyFlushBytes && size - line.count <= Self.earlyFlushBytes) {
            wakeFlusher.signal()
        }
    }

    /// Writes every waiting line now.
    func flush() {
        writing.withLock { _ in
            let bytes = pending.withLock { pending -> [UInt8] in
                defer { pending.bytes.removeAll(keepingCapacity: true) }
                return pending.bytes
            }
            bytes.withUnsafeBufferPointer { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)  // non-empty: it has an address
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}
