import Testing
@testable import Events

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("delays double up to the ceiling, then the event is parked")
    func backoff() {
        let policy = RetryPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(10), maximumAttempts: 6)
        let decisions = (1...6).map { policy.decision(afterFailedAttempt: $0) }
        #expect(decisions == [
            .retry(after: .seconds(1)), .retry(after: .seconds(2)), .retry(after: .seconds(4)),
            .retry(after: .seconds(8)), .retry(after: .seconds(10)), .deadLetter,
        ])
    }

    @Test("trigger operations map to event operations; keys are per handler")
    func operations() {
        #expect(ChangeEvent.Operation(triggerOperation: "INSERT") == .insert)
        #expect(ChangeEvent.Operation(triggerOperation: "TRUNCATE") == nil)
        let event = ChangeEvent(id: 42, tenantID: "t", table: "tasks", operation: .update, primaryKeyJSON: #"{"id":1}"#,
                                oldJSON: nil, newJSON: nil, actor: nil, transactionID: 7)
        #expect(event.idempotencyKey(handler: "history") == "history:42")
        #expect(event.idempotencyKey(handler: "history") != event.idempotencyKey(handler: "notifications"))
    }
}
