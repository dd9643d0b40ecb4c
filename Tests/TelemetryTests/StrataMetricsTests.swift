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
