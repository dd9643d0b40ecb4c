import Database
import Foundation
import GraphQLTypeSystem
import NIOCore
import Testing
import TestSupport
@testable import Server

/// Mutations of one statement with the same settings that wait for a connection run together:
/// their statements in one round trip and one transaction, one commit for all, each answered
/// with its own row — and when one fails, nothing of the batch is kept and each runs alone.
@Suite("Write coalescing")
struct WriteCoalescingTests {
    typealias Bench = RequestCoalescingTests.Bench
    static let task = "12000000-0000-4000-8000-000000000001"
    static let comment = "mutation($task: uuid!, $body: String!) { insert_comments_one(object: {task_id: $task, body: $body}) { body author { name } } }"

    static func comment(_ bench: Bench, _ body: String, task: String = Self.task) throws -> GraphQLExecutor.Prepared {
        try bench.prepared(comment, ["task": .string(task), "body": .string(body)])
    }

    /// How many comments have each of `bodies`, in order.
    static func written(_ bench: Bench, _ bodies: [String]) async throws -> [Int] {
        try await bodies.asyncMap { body in
            let rows = try await bench.database.rows("SELECT count(*)::text FROM public.comments WHERE body = \(body)")
            return Int((rows.first?.first ?? nil) ?? "") ?? -1
        }
    }

    @Test("mutations waiting for a connection commit together, each answered with its own row and event")
    func oneCommit() async throws {
        let bench = try await Bench.start()
        let bodies = (1...5).map { "together \($0)" }
        let outcomes = try await bench.runWaiting(bodies.map { try Self.comment(bench, $0) }, of: bench.writes)
        for (outcome, body) in zip(outcomes, bodies) {
            let data = try JSONValue.parse(try #require(RequestCoalescingTests.text(outcome)))
            #expect(data.serialized == #"{"insert_comments_one":{"body":"\#(body)","author":{"name":"Alan Turing"}}}"#)
        }
        #expect(try await Self.written(bench, bodies) == [1, 1, 1, 1, 1], "each written once")
        #expect(bench.pool.counts.batches == 1 && bench.pool.counts.coalescedRequests == bodies.count)
        let events = try await bench.database.rows("""
            SELECT count(*)::text, count(DISTINCT transaction_id)::text FROM strata.change_events
            WHERE table_name = 'comments' AND new->>'body' LIKE 'together %'
            """)
        #expect(events == [["5", "1"]], "one event per row, all of one transaction: one commit")
        await bench.stop()
    }

    @Test("a write that fails in a batch gets its own error; the others are written once, none twice")
    func oneBadWrite() async throws {
        let bench = try await Bench.start()
        let bodies = (1...4).map { "batch member \($0)" }
        var requests = try bodies.map { try Self.comment(bench, $0) }
        // A task that does not exist: the foreign key refuses this row, and with it the batch's transaction.
        requests.insert(try Self.comment(bench, "orphan", task: "12000000-0000-4000-8000-0000000000ff"), at: 2)
        let outcomes = try await bench.runWaiting(requests, of: bench.writes)
        #expect(RequestCoalescingTests.code(outcomes[2]) == "foreign-key-violation")
        for outcome in outcomes.enumerated().filter({ $0.offset != 2 }).map(\.element) {
            #expect(RequestCoalescingTests.text(outcome)?.contains("batch member") == true)
        }
        #expect(try await Self.written(bench, bodies + ["orphan"]) == [1, 1, 1, 1, 0])
        #expect(bench.pool.counts.batches == 0, "the failed batch answered nobody; each ran alone")
        await bench.stop()
    }

    @Test("past the places for writes, mutations wait and commit together though connections are free")
    func writePlaces() async throws {
        let bench = try await Bench.start(connections: 4, concurrentWrites: 1)
        let first = try Self.comment(bench, "first alone")
        #expect(RequestCoalescingTests.text(await bench.executor.run(first)) != nil)
        #expect(bench.pool.counts.batches == 0, "a write finding its place free runs alone")

        // A write into the locked tasks table holds the only place until the lock goes.
        let (release, locked) = try await bench.lockTasks()
        let blocked = try bench.prepared(#"mutation { insert_tasks_one(object: {project_id: "11000000-0000-4000-8000-000000000001", title: "behind a lock", status: "todo"}) { title } }"#, [:])
        let holder = Task { await bench.executor.run(blocked) }
        try await bench.waitForReads(1, of: bench.writes)
        let bodies = (1...3).map { "waited \($0)" }
        let others = try bodies.map { body in try Self.comment(bench, body) }.map { prepared in Task { await bench.executor.run(prepared) } }
        try await bench.waitForMembers(bodies.count, of: bench.writes)
        #expect(bench.pool.statistics.waiting == 0, "nobody waits for a connection: three are free")
        release.resume()
        try await locked.value
        #expect(RequestCoalescingTests.text(await holder.value)?.contains("behind a lock") == true)
        let outcomes = await others.asyncMap { RequestCoalescingTests.text(await $0.value) }
        #expect(zip(outcomes, bodies).allSatisfy { $0?.contains($1) == true }, "\(outcomes)")
        #expect(try await Self.written(bench, bodies) == [1, 1, 1])
        #expect(bench.pool.counts.batches == 1 && bench.pool.counts.coalescedRequests == bodies.count)
        try await bench.waitForReads(0, of: bench.writes)
        await bench.stop()
    }

    @Test("a mutation of several statements keeps its own transaction, never batched")
    func severalStatements() async throws {
        let bench = try await Bench.start()
        let two = """
            mutation { a: insert_comments_one(object: {task_id: "\(Self.task)", body: "field a"}) { body }
                       b: insert_comments_one(object: {task_id: "\(Self.task)", body: "field b"}) { body } }
            """
        let requests = try [bench.prepared(two, [:]), bench.prepared(two, [:])]
        let (release, held) = try await bench.hold()
        let answers = requests.map { prepared in Task { await bench.executor.run(prepared) } }
        for _ in 0..<400 where bench.pool.statistics.waiting < 2 { try await Task.sleep(for: .milliseconds(25)) }
        #expect(bench.writes.waitingMembers == 0, "they wait for the connection, not in a batch")
        release.resume()
        try await held.value
        for answer in answers { #expect(RequestCoalescingTests.text(await answer.value)?.contains("field b") == true) }
        #expect(try await Self.written(bench, ["field a", "field b"]) == [2, 2])
        #expect(bench.pool.counts.batches == 0)
        await bench.stop()
    }
}
