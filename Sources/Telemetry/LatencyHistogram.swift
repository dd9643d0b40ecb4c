import Synchronization

/// A latency histogram counted with atomics only: recording is a few relaxed atomic adds, with
/// no lock — it sits on every request's path. Rendered by `StrataMetrics` in the Prometheus text
/// format with its family's other label sets.
public final class LatencyHistogram: Sendable {
    let name: String
    let labels: [(String, String)]
    /// Upper bounds in nanoseconds, ascending.
    let bounds: [Int64]
    /// Per bucket (not cumulative), plus one past the last bound.
    private let counts: [Cell]
    private let sumNanoseconds = Atomic<Int>(0)

    init(name: String, labels: [(String, String)], buckets: [Duration]) {
        self.name = name
        self.labels = labels
        self.bounds = buckets.map { $0.components.seconds * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000 }
        self.counts = (0...buckets.count).map { _ in Cell() }
    }

    public func record(_ duration: Duration) {
        // `components` is computed in 128 bits: once, not once per part.
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        var index = 0
        while index < bounds.count, nanoseconds > bounds[index] { index += 1 }
        counts[index].value.add(1, ordering: .relaxed)
        sumNanoseconds.add(Int(clamping: max(0, nanoseconds)), ordering: .relaxed)
    }

    /// Its sample lines: cumulative buckets, `+Inf`, sum in seconds, count.
    func render(into text: inout String) {
        let labelText = labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",")
        let prefix = labelText.isEmpty ? "" : labelText + ","
        var cumulative = 0
        for (index, bound) in bounds.enumerated() {
            cumulative += counts[index].value.load(ordering: .relaxed)
            text += "\(name)_bucket{\(prefix)le=\"\(Self.seconds(bound))\"} \(cumulative)\n"
        }
        cumulative += counts[bounds.count].value.load(ordering: .relaxed)
        text += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(cumulative)\n"
        let braces = labelText.isEmpty ? "" : "{\(labelText)}"
        text += "\(name)_sum\(braces) \(Self.seconds(Int64(sumNanoseconds.load(ordering: .relaxed))))\n"
        text += "\(name)_count\(braces) \(cumulative)\n"
    }

    /// One bucket's count (an atomic cannot sit in an array by itself).
    final class Cell: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Nanoseconds as seconds in decimal, as Prometheus reads them (`0.0005`, `10.0`).
    static func seconds(_ nanoseconds: Int64) -> String {
        let whole = nanoseconds / 1_000_000_000, fraction = nanoseconds % 1_000_000_000
        guard fraction != 0 else { return "\(whole).0" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
