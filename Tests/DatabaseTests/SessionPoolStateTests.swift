@testable import Database
import Testing

@Suite("Session pool bookkeeping")
struct SessionPoolStateTests {
    typealias State = SessionPoolState<String, String>

    @Test("a lease prefers an idle connection with the same settings, then any idle one, then a new one, then waits")
    func leasePreference() {
        var state = State(maximumConnections: 2)
        guard case .open(let first) = state.lease(requestID: 1, settings: "acme", waiter: "r1") else { Issue.record(); return }
        guard case .open(let second) = state.lease(requestID: 2, settings: "globex", waiter: "r2") else { Issue.record(); return }
        guard case .wait = state.lease(requestID: 3, settings: "acme", waiter: "r3") else { Issue.record(); return }
        // r3 waits for acme; globex's connection is released first and still goes to r3 (the only waiter), re-set.
        guard case .resume("r3", second, matches: false) = state.release(id: second, settings: "globex") else { Issue.record(); return }
        guard case .idle = state.release(id: first, settings: "acme") else { Issue.record(); return }
        guard case .idle = state.release(id: second, settings: "acme") else { Issue.record(); return }
        // Both idle with acme now; first one released first.
        guard case .use(first, matches: true) = state.lease(requestID: 4, settings: "acme", waiter: "r4") else { Issue.record(); return }
        guard case .use(second, matches: false) = state.lease(requestID: 5, settings: "initech", waiter: "r5") else { Issue.record(); return }
    }

    @Test("a release goes to a waiter with matching settings near the head of the queue, else to the head")
    func releaseMatching() {
        var state = State(maximumConnections: 1, matchWindow: 2)
        guard case .open(let id) = state.lease(requestID: 0, settings: "a", waiter: "r0") else { Issue.record(); return }
        for (request, settings) in [(1, "b"), (2, "a"), (3, "a"), (4, "c"), (5, "a")] {
            guard case .wait = state.lease(requestID: request, settings: settings, waiter: "r\(request)") else { Issue.record(); return }
        }
        guard case .resume("r2", id, matches: true) = state.release(id: id, settings: "a") else { Issue.record(); return }
        guard case .resume("r3", id, matches: true) = state.release(id: id, settings: "a") else { Issue.record(); return }
        // r5 wants "a" but sits outside the window of two behind the head: the head is served, re-set.
        guard case .resume("r1", id, matches: false) = state.release(id: id, settings: "a") else { Issue.record(); return }
        guard case .resume("r4", id, matches: false) = state.release(id: id, settings: nil) else { Issue.record(); return }
        guard case .resume("r5", id, matches: false) = state.release(id: id, settings: "c") else { Issue.record(); return }
        guard case .idle = state.release(id: id, settings: nil) else { Issue.record(); return }
    }

    @Test("settings that are unknown match no request")
    func unknownSettings() {
        var state = State(maximumConnections: 1)
        guard case .open(let id) = state.lease(requestID: 0, settings: "a", waiter: "r0") else { Issue.record(); return }
        _ = state.release(id: id, settings: nil)
        guard case .use(id, matches: false) = state.lease(requestID: 1, settings: "a", waiter: "r1") else { Issue.record(); return }
    }

    @Test("a lost connection lets a waiter open a replacement; a cancelled waiter leaves the queue")
    func removalAndCancel() {
        var state = State(maximumConnections: 1)
        guard case .open(let id) = state.lease(requestID: 0, settings: "a", waiter: "r0") else { Issue.record(); return }
        _ = state.lease(requestID: 1, settings: "a", waiter: "r1")
        _ = state.lease(requestID: 2, settings: "a", waiter: "r2")
        #expect(state.cancel(requestID: 1) == "r1")
        #expect(state.cancel(requestID: 1) == nil)
        let replacement = state.remove(id: id)
        #expect(replacement?.waiter == "r2")
        #expect(replacement.map { $0.openID != id } == true)
        #expect(state.connections.count == 1)
    }
}

@Suite("Session pool state: bounded waiting")
struct SessionPoolQueueBoundTests {
    @Test("past the most waiters a lease is refused, and a freed place can be taken again")
    func boundedQueue() {
        var state = SessionPoolState<String, String>(maximumConnections: 1, maximumWaiters: 2)
        guard case .open(let id) = state.lease(requestID: 0, settings: "a", waiter: "r0") else { Issue.record(); return }
        guard case .wait = state.lease(requestID: 1, settings: "a", waiter: "r1") else { Issue.record(); return }
        guard case .wait = state.lease(requestID: 2, settings: "a", waiter: "r2") else { Issue.record(); return }
        guard case .refuse = state.lease(requestID: 3, settings: "a", waiter: "r3") else { Issue.record(); return }
        #expect(state.cancel(requestID: 1) == "r1")
        guard case .wait = state.lease(requestID: 4, settings: "a", waiter: "r4") else { Issue.record(); return }
        guard case .resume("r2", id, matches: true) = state.release(id: id, settings: "a") else { Issue.record(); return }
    }
}
