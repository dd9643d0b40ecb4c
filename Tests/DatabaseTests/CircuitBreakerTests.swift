import Database
import Testing

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    let start = ContinuousClock.now

    @Test("five connection failures within the window open it; one probe per interval; a good probe closes it")
    func opensAndCloses() {
        var breaker = CircuitBreaker(configuration: .init(probeInterval: .seconds(1)))
        for second in 0..<4 {
            breaker.recordFailure(at: start + .seconds(second))
            #expect(breaker.permit(at: start + .seconds(second)) == .allow)
        }
        breaker.recordFailure(at: start + .seconds(4))
        #expect(breaker.isOpen)
        #expect(breaker.permit(at: start + .milliseconds(4_400)) == .refuse(retryAfter: .milliseconds(600)))
        #expect(breaker.permit(at: start + .seconds(5)) == .probe)
        #expect(breaker.permit(at: start + .milliseconds(5_100)) == .refuse(retryAfter: .seconds(1)), "one probe at a time")
        breaker.recordFailure(at: start + .milliseconds(5_200))
        #expect(breaker.permit(at: start + .milliseconds(5_300)) == .refuse(retryAfter: .milliseconds(900)))
        #expect(breaker.permit(at: start + .milliseconds(6_200)) == .probe)
        breaker.recordSuccess()
        #expect(!breaker.isOpen)
        #expect(breaker.permit(at: start + .milliseconds(6_300)) == .allow)
    }

    @Test("failures further apart than the window, or broken by a success, never open it")
    func spreadFailures() {
        var breaker = CircuitBreaker(configuration: .init(failureThreshold: 5, window: .seconds(30), probeInterval: .seconds(1)))
        for index in 0..<10 {
            breaker.recordFailure(at: start + .seconds(31 * index))
        }
        #expect(!breaker.isOpen)
        for index in 0..<10 {
            breaker.recordFailure(at: start + .seconds(400 + index))
            if index % 3 == 2 { breaker.recordSuccess() }
        }
        #expect(!breaker.isOpen)
    }

    @Test("a probe that never reports is replaced after five intervals")
    func lostProbe() {
        var breaker = CircuitBreaker(configuration: .init(probeInterval: .seconds(1)))
        for _ in 0..<5 { breaker.recordFailure(at: start) }
        #expect(breaker.permit(at: start + .seconds(1)) == .probe)
        #expect(breaker.permit(at: start + .seconds(3)) != .probe)
        #expect(breaker.permit(at: start + .seconds(6)) == .probe)
    }

    @Test("by default a database that went away is probed every quarter of a second")
    func defaultInterval() {
        #expect(CircuitBreaker().configuration.probeInterval == .milliseconds(250))
    }
}
