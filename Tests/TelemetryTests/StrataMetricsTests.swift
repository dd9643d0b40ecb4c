import Foundation
import Telemetry
import Testing

@Suite("Metrics registry")
struct StrataMetricsTests {
    @Test("collectors run before each scrape; a following counter adds only what its total grew by")
    func followingTotals() async {
        let metrics = StrataMetrics()
        let counter = FollowingCounter(metrics.counter("strata_test_total", "A total kept elsewhere."))
        let gauge = metrics.gauge("strata_test_now", "A value read at scrape.")
        nonisolated(unsafe) var total = 5
        metrics.beforeScrape {
            counter.follow(total)
            gauge.set(Int64(total * 10))
        }
        var text = String(decoding: await metrics.exposition(), as: UTF8.self)
        #expect(text.contains("strata_test_total 5\n") && text.contains("strata_test_now 50"))
        #expect(text.contains("# HELP strata_test_total A total kept elsewhere.") && text.contains("# TYPE strata_test_total counter"))
        total = 7
        text = String(decoding: await metrics.exposition(), as: UTF8.self)
        #expect(text.contains("strata_test_total 7\n"))
        total = 3  // a total that went back (a restarted part) never makes the counter go down
        text = String(decoding: await metrics.exposition(), as: UTF8.self)
        #expect(text.contains("strata_test_total 7\n"))
    }

    @Test("latency histograms use buckets from half a millisecond to ten seconds")
    func latencyBuckets() async {
        let metrics = StrataMetrics()
        metrics.histogram("strata_test_seconds", "A latency.").record(.milliseconds(3))
        let text = String(decoding: await metrics.exposition(), as: UTF8.self)
        #expect(text.contains(#"strata_test_seconds_bucket{le="0.0005"} 0"#))
        #expect(text.contains(#"strata_test_seconds_bucket{le="0.005"} 1"#))
        #expect(text.contains(#"strata_test_seconds_bucket{le="10.0"} 1"#))
        #expect(text.contains("strata_test_seconds_count 1"))
    }
}

@Suite("Lock-free latency histograms")
struct LatencyHistogramTests {
    @Test("cumulative buckets, +Inf, sum in seconds and count, each label set under one HELP and TYPE")
    func rendering() async {
        let metrics = StrataMetrics()
        let fast = metrics.latency("strata_test_latency_seconds", "A latency.", labels: [("kind", "fast")],
                                   buckets: [.milliseconds(1), .milliseconds(10)])
        let slow = metrics.latency("strata_test_latency_seconds", "A latency.", labels: [("kind", "slow")],
                                   buckets: [.milliseconds(1), .milliseconds(10)])
        fast.record(.microseconds(500))
        fast.record(.milliseconds(1))
        fast.record(.milliseconds(5))
        slow.record(.seconds(2))
        let text = String(decoding: await metrics.exposition(), as: UTF8.self)
        #expect(text.components(separatedBy: "# TYPE strata_test_latency_seconds histogram").count == 2)
        #expect(text.contains("""
            strata_test_latency_seconds_bucket{kind="fast",le="0.001"} 2
            strata_test_latency_seconds_bucket{kind="fast",le="0.01"} 3
            strata_test_latency_seconds_bucket{kind="fast",le="+Inf"} 3
            strata_test_latency_seconds_sum{kind="fast"} 0.0065
            strata_test_latency_seconds_count{kind="fast"} 3
            strata_test_latency_seconds_bucket{kind="slow",le="0.001"} 0
            """), "\(text)")
        #expect(text.contains("strata_test_latency_seconds_sum{kind=\"slow\"} 2.0\n"))
    }
}
