import Database
import NIOCore
import Planner
import SQL
import Synchronization

/// Concurrent requests of one query plan with the same settings, coalesced while they wait for
/// a connection of one pool: the first to find every connection busy opens a batch and waits
/// for a connection on its behalf; others of its plan and settings join it meanwhile. Given a
/// connection, the batch closes and runs as one statement — the plan run once per member,
/// `LATERAL` over every member's parameter values (`CohortPlan`) — and each member gets its
/// own element of the result. A batch that kept one member runs that member's own statement.
///
/// A request never waits for a batch when a connection is free and fewer reads than the pool's
/// `concurrentReads` run, so coalescing only replaces waiting — in the pool's queue, or for one
/// of those places — one wait for many. The places bound the reads a database busy on all its
/// cores is given at once: past them, more statements only take turns on the same cores, while
/// a batch answers its members with one statement. Each member's answer is what it would get
/// alone: when the batch's statement fails on the server (one member's variable cannot be
/// cast), each member's own statement runs on the batch's connection, one after another, and
/// each gets its own data or error. A batch that times out answers every member with the
/// timeout rather than running each (another timeout each, one after another). A member whose
/// client hangs up leaves the batch; when every member has left a running batch, its statement
/// is cancelled.
final class RequestBatches: Sendable {
    struct Key: Hashable, Sendable {
        /// The name of the plan's own statement.
        let statement: String
        let settings: ConnectionSettings
    }

    /// A member's data, or its error.
    typealias Answer = Result<ByteBuffer?, any Error>

    /// One request waiting in a batch.
    private struct Member {
        /// Its parameter values as `CohortPlan.member` writes them.
        let values: String
        /// Its own statement's binds, should it be left alone in the batch.
        let binds: [SQLValue]
        var reply: CheckedContinuation<ByteBuffer?, any Error>?
        /// Its answer, when it came before the member began to wait for it.
        var answer: Answer?
    }

    /// One batch. Unchecked: its mutable parts are read and written only under `state`'s lock.
    private final class Batch: @unchecked Sendable {
        let key: Key
        let cancellation = QueryCancellation()
        /// In the order they joined: a member's number is its place here, nil once it left or
        /// took its answer.
        var members: [Member?] = []
        /// Members not nil.
        var present = 0
        var started = false
        /// Answered: kept only for members yet to collect their answers.
        var finished = false

        init(key: Key) {
            self.key = key
        }
    }

    private struct State {
        /// The batch of each key that still takes members.
        var open: [Key: Batch] = [:]
        /// What one member has cost in the batches of each statement (its name), averaged.
        var memberCosts: [String: Duration] = [:]
        /// Members of batches that have not started: requests waiting for a connection, which
        /// count toward the pool's `maximumWaiting` beside its own waiters (a batch waiting for a
        /// connection is one of those).
        var waiting = 0
        /// Reads holding one of the `concurrentReads` places: statements run alone, and batches
        /// from when they got a place until their statement ended.
        var reading = 0
        /// Batches waiting for a place, first come first served.
        var placeQueue: [PlaceWait] = []
    }

    /// A batch waiting for a place, and the timer that ends its wait: cancelled when the wait
    /// ends otherwise, so the loop's timers hold only waits under way.
    private struct PlaceWait {
        let batch: Batch
        let turn: CheckedContinuation<Void, any Error>
        let timeout: Scheduled<Void>

        func resume(throwing error: (any Error)? = nil) {
            timeout.cancel()
            if let error { turn.resume(throwing: error) } else { turn.resume() }
        }
    }

    private enum Entry {
        case alone
        case refused
        case joined(Batch, member: Int, leads: Bool)
    }

    let pool: SessionPool
    /// The most requests one statement runs for; a full batch closes to newcomers.
    let maximumMembers: Int
    /// The most reads running at once (the pool's `concurrentReads`, else its connections).
    let concurrentReads: Int
    /// About how long a batch's statement may take: a heavy query's batches stay small, so its
    /// members do not wait long for one another; a batch of a query not measured yet takes
    /// `firstMembers`.
    static let batchBudget = Duration.milliseconds(2)
    static let firstMembers = 8
    private let state = Mutex(State())

    init(pool: SessionPool, maximumMembers: Int = 32) {
        self.pool = pool
        self.maximumMembers = maximumMembers
        self.concurrentReads = pool.configuration.concurrentReads ?? pool.configuration.maximumConnections
    }

    /// The data of one request: run alone if a connection and a place for a read are free,
    /// else in a batch.
    /// - Parameters:
    ///   - single: the plan's own statement, with `binds`.
    ///   - batch: the plan's statement for many members (`CohortPlan.prepared`), whose binds
    ///     `plan` makes; `values` the request's parameter values as one member.
    func query(_ single: PreparedSQL, binds: [SQLValue], batch: PreparedSQL, plan: CohortPlan, values: () -> String,
               settings: ConnectionSettings, cancellation: QueryCancellation?) async throws -> ByteBuffer? {
        let key = Key(statement: single.name, settings: settings)
        let entry = state.withLock { state -> Entry in
            var leads = false
            let joined: Batch
            if let open = state.open[key] {
                joined = open
            } else {
                if state.reading < concurrentReads, pool.hasFreeConnection {
                    state.reading += 1
                    return .alone
                }
                joined = Batch(key: key)
                state.open[key] = joined
                leads = true
            }
            guard state.waiting + pool.statistics.waiting < pool.configuration.maximumWaiting else {
                if leads { state.open[key] = nil }
                return .refused
            }
            state.waiting += 1
            joined.members.append(Member(values: values(), binds: binds))
            joined.present += 1
            if joined.members.count >= Self.capacity(memberCost: state.memberCosts[key.statement], maximum: maximumMembers) {
                state.open[key] = nil
            }
            return .joined(joined, member: joined.members.count - 1, leads: leads)
        }
        let (joined, member): (Batch, Int)
        switch entry {
        case .alone:
            defer { givePlaceBack() }
            return try await pool.query(single, binds: binds, settings: settings, cancellation: cancellation)
        case .refused:
            throw pool.refuseExhausted()
        case .joined(let opened, let number, let leads):
            (joined, member) = (opened, number)
            if leads {
                Task(executorPreference: pool.executor) {
                    await self.run(opened, single: single, batch: batch, plan: plan)
                }
            }
        }
        do {
            return try await cancellation.whileRunning(onCancel: { self.leave(joined, member: member) }) {
                try await withCheckedThrowingContinuation { reply in
                    if let answer = attach(reply, to: member, of: joined) { reply.resume(with: answer) }
                }
            }
        } catch {
            leave(joined, member: member)
            throw error
        }
    }

    /// Requests waiting in batches that have not started.
    var waitingMembers: Int {
        state.withLock { $0.waiting }
    }

    /// Reads running now, alone or as batches.
    var readsRunning: Int {
        state.withLock { $0.reading }
    }

    /// One of the places for reads, for `batch`: at once if one is free, else after the batches
    /// queued before it — at most the pool's acquire timeout, then `pool-exhausted`.
    private func takePlace(for batch: Batch) async throws {
        let granted = state.withLock { state in
            guard state.reading < concurrentReads else { return false }
            state.reading += 1
            return true
        }
        if granted { return }
        let (pool, loop) = (self.pool, pool.executor.loop)
        try await withCheckedThrowingContinuation { (turn: CheckedContinuation<Void, any Error>) in
            // The timer is set before the batch joins the queue, so that whoever ends the wait cancels it.
            let timeout = loop.scheduleTask(in: TimeAmount(pool.configuration.acquireTimeout)) {
                let expired = self.state.withLock { state in
                    state.placeQueue.firstIndex { $0.batch === batch }.map { state.placeQueue.remove(at: $0) }
                }
                expired?.resume(throwing: pool.refuseExhausted())
            }
            let wait = PlaceWait(batch: batch, turn: turn, timeout: timeout)
            let granted = state.withLock { state in
                guard state.reading < concurrentReads else {
                    state.placeQueue.append(wait)
                    return false
                }
                state.reading += 1
                return true
            }
            if granted { wait.resume() }
        }
    }

    /// A read ended: its place goes to the first batch waiting for one, if any.
    private func givePlaceBack() {
        let next = state.withLock { state -> PlaceWait? in
            guard state.placeQueue.isEmpty else { return state.placeQueue.removeFirst() }
            state.reading -= 1
            return nil
        }
        next?.resume()
    }

    /// How many members a batch of a statement takes, given what one has cost.
    static func capacity(memberCost: Duration?, maximum: Int) -> Int {
        guard let memberCost else { return min(firstMembers, maximum) }
        guard memberCost > .zero else { return maximum }
        return max(2, Int(min(Double(maximum), batchBudget / memberCost)))
    }

    /// Averages what one member of `statement` cost in a batch that took `elapsed` for `members`.
    private func record(_ statement: String, elapsed: Duration, members: Int) {
        let cost = elapsed / members
        state.withLock { state in
            // Bounded like the plans: a server seeing ever new statements forgets the old costs.
            if state.memberCosts.count >= 4_096, state.memberCosts[statement] == nil { state.memberCosts.removeAll() }
            state.memberCosts[statement] = state.memberCosts[statement].map { ($0 * 7 + cost) / 8 } ?? cost
        }
    }

    /// Waits for `member`'s answer with `reply`; the answer itself if it came already, or a
    /// cancellation if the member left meanwhile.
    private func attach(_ reply: CheckedContinuation<ByteBuffer?, any Error>, to member: Int, of batch: Batch) -> Answer? {
        state.withLock { _ in
            guard let waiting = batch.members[member] else { return .failure(CancellationError()) }
            if let answer = waiting.answer {
                batch.members[member] = nil
                batch.present -= 1
                return answer
            }
            batch.members[member]?.reply = reply
            return nil
        }
    }

    /// `member` no longer waits (its client hung up): it leaves the batch, and the batch's
    /// statement is cancelled if it runs for nobody any more.
    private func leave(_ batch: Batch, member: Int) {
        let (reply, cancellation) = state.withLock { state -> (CheckedContinuation<ByteBuffer?, any Error>?, QueryCancellation?) in
            guard let gone = batch.members[member] else { return (nil, nil) }
            batch.members[member] = nil
            batch.present -= 1
            if !batch.started { state.waiting -= 1 }
            let abandoned = batch.started && !batch.finished && batch.present == 0
            return (gone.reply, abandoned ? batch.cancellation : nil)
        }
        reply?.resume(throwing: CancellationError())
        cancellation?.cancel()
    }

    /// The batch's members once it has a connection, by number: the batch closes and runs for them.
    private func start(_ batch: Batch) throws -> [(number: Int, values: String, binds: [SQLValue])] {
        try state.withLock { state in
            if state.open[batch.key] === batch { state.open[batch.key] = nil }
            if !batch.started { state.waiting -= batch.present }
            batch.started = true
            var members: [(number: Int, values: String, binds: [SQLValue])] = []
            members.reserveCapacity(batch.present)
            for (number, member) in batch.members.enumerated() {
                if let member { members.append((number, member.values, member.binds)) }
            }
            guard !members.isEmpty else { throw CancellationError() }
            return members
        }
    }

    /// Runs the batch once it gets a place and a connection, and answers its members.
    private func run(_ batch: Batch, single: PreparedSQL, batch statement: PreparedSQL, plan: CohortPlan) async {
        do {
            try await takePlace(for: batch)
        } catch {
            return finish(batch, answers: [:], failure: error)
        }
        guard state.withLock({ _ in batch.present > 0 }) else {
            // Every member left while the batch waited for its place.
            givePlaceBack()
            return finish(batch, answers: [:], failure: CancellationError())
        }
        let answers: [Int: Answer]
        var failure: (any Error)?
        do {
            answers = try await pool.withConnection(settings: batch.key.settings, cancellation: batch.cancellation) { connection in
                let members = try start(batch)
                if members.count == 1 {
                    return [members[0].number: await Self.answer { try await connection.query(single, binds: members[0].binds) }]
                }
                let started = ContinuousClock.now
                do {
                    let bytes = try await connection.query(statement, binds: plan.bindValues(members: members.map(\.values)))
                    if let bytes, let elements = JSONArrayElements.slices(of: bytes), elements.count == members.count {
                        record(batch.key.statement, elapsed: .now - started, members: members.count)
                        pool.countBatch(of: members.count)
                        var answers: [Int: Answer] = [:]
                        answers.reserveCapacity(members.count)
                        for (member, element) in zip(members, elements) { answers[member.number] = .success(element) }
                        return answers
                    }
                } catch where DatabaseServerError.of(error).map({ $0.sqlState != "57014" }) ?? false {
                    // Failed on the server: below, each member runs alone on this connection, to get what it would alone.
                }
                var answers: [Int: Answer] = [:]
                for member in members where isWaiting(member.number, in: batch) {
                    let answer = await Self.answer { try await connection.query(single, binds: member.binds) }
                    // A broken connection or a cancel ends the batch for everyone left.
                    if case .failure(let error) = answer, DatabaseServerError.of(error) == nil { throw error }
                    answers[member.number] = answer
                }
                return answers
            }
        } catch {
            answers = [:]
            failure = error
        }
        // The place first: the next batch's statement is on its way to PostgreSQL while this
        // batch's members write their responses.
        givePlaceBack()
        finish(batch, answers: answers, failure: failure)
    }

    /// What `body` returned, or threw.
    private static func answer(_ body: () async throws -> ByteBuffer?) async -> Answer {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// Whether `member` still waits for its answer.
    private func isWaiting(_ member: Int, in batch: Batch) -> Bool {
        state.withLock { _ in batch.members[member] != nil }
    }

    /// Ends the batch: each member still in it gets its answer, or `failure`.
    private func finish(_ batch: Batch, answers: [Int: Answer], failure: (any Error)?) {
        let replies = state.withLock { state -> [(CheckedContinuation<ByteBuffer?, any Error>, Answer)] in
            if state.open[batch.key] === batch { state.open[batch.key] = nil }
            // A batch that never got a connection ends its members' wait here.
            if !batch.started {
                state.waiting -= batch.present
                batch.started = true
            }
            var replies: [(CheckedContinuation<ByteBuffer?, any Error>, Answer)] = []
            replies.reserveCapacity(batch.present)
            for number in batch.members.indices {
                guard let member = batch.members[number] else { continue }
                let answer = answers[number] ?? .failure(failure ?? CancellationError())
                if let reply = member.reply {
                    replies.append((reply, answer))
                    batch.members[number] = nil
                    batch.present -= 1
                } else {
                    // Members yet to wait for their answer find it here.
                    batch.members[number]?.answer = answer
                }
            }
            batch.finished = true
            return replies
        }
        for (reply, answer) in replies { reply.resume(with: answer) }
    }
}
