import Database
import NIOCore
import Planner
import SQL
import Synchronization

/// Concurrent requests with the same settings, coalesced while they wait for a connection of one
/// pool: the first to find every connection busy (or every place taken, below) opens a batch and
/// waits for a connection on its behalf; others join it meanwhile. Given a connection, the
/// batch closes and runs for all its members in one round trip, and each gets its own answer.
/// A batch that kept one member runs that member's own statement. Two kinds:
///
/// - Reads coalesce by plan: one statement runs the plan once per member, `LATERAL` over every
///   member's parameter values (`CohortPlan`), and each member gets its element of the result.
/// - Writes — mutations of one statement, any plan — run as a pipeline: each member's own
///   statement, one after another in one implicit transaction, one commit (one WAL flush) for
///   all. A member sees the writes of those before it, as if they had run just before it.
///
/// A request never waits for a batch when a connection is free and fewer statements of its kind
/// than the pool's `concurrentReads` or `concurrentWrites` run, so coalescing only replaces
/// waiting — in the pool's queue, or for one of those places — one wait for many. The places
/// bound the statements a database busy on all its cores is given at once: past them, more
/// statements only take turns on the same cores, while a batch answers its members with one
/// round trip. Each member's answer is what it would get alone: when the batch fails on the
/// server (one member's variable cannot be cast, one write breaks a constraint — and a failed
/// pipeline commits nothing), each member's own statement runs on the batch's connection, one
/// after another, and each gets its own data or error. A batch that times out answers every
/// member with the timeout rather than running each (another timeout each, one after another).
/// A member whose client hangs up leaves the batch; when every member has left a running batch,
/// its statement is cancelled (a write batch's members still there keep theirs: a client that
/// hangs up on a mutation under way cannot know whether it was applied, alone or not).
final class RequestBatches: Sendable {
    /// What a pool's batches coalesce.
    enum Kind: Sendable {
        /// Queries of one plan, run as one statement (`CohortPlan`).
        case reads
        /// Mutations of one statement, run as one pipeline and one transaction.
        case writes
    }

    struct Key: Hashable, Sendable {
        /// The name of the plan's own statement; empty for writes, whose batches take any statement.
        let statement: String
        let settings: ConnectionSettings
    }

    /// A member's data, or its error.
    typealias Answer = Result<ByteBuffer?, any Error>

    /// One request waiting in a batch.
    private struct Member {
        /// Its own statement, with `binds`: what it runs in a pipeline, or alone.
        let statement: PreparedSQL
        let binds: [SQLValue]
        /// Its parameter values as `CohortPlan.member` writes them (reads).
        let values: String
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
        /// Statements holding one of the places: run alone, and batches from when they got a
        /// place until their statement ended.
        var running = 0
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
    let kind: Kind
    /// The most requests one batch runs for; a full batch closes to newcomers.
    let maximumMembers: Int
    /// The most statements of this kind running at once (the pool's `concurrentReads` or
    /// `concurrentWrites`, else its connections).
    let places: Int
    /// About how long a batch's statement may take: a heavy query's batches stay small, so its
    /// members do not wait long for one another; a batch of a query not measured yet takes
    /// `firstMembers`.
    static let batchBudget = Duration.milliseconds(2)
    static let firstMembers = 8
    private let state = Mutex(State())

    init(pool: SessionPool, kind: Kind, maximumMembers: Int = 32) {
        self.pool = pool
        self.kind = kind
        self.maximumMembers = maximumMembers
        let configured = kind == .reads ? pool.configuration.concurrentReads : pool.configuration.concurrentWrites
        self.places = configured ?? pool.configuration.maximumConnections
    }

    /// The data of one query: run alone if a connection and a place are free, else in a batch.
    /// - Parameters:
    ///   - single: the plan's own statement, with `binds`.
    ///   - batch: the plan's statement for many members (`CohortPlan.prepared`), whose binds
    ///     `plan` makes; `values` the request's parameter values as one member.
    func query(_ single: PreparedSQL, binds: [SQLValue], batch: PreparedSQL, plan: CohortPlan, values: () -> String,
               settings: ConnectionSettings, cancellation: QueryCancellation?) async throws -> ByteBuffer? {
        return try await coalesce(single, binds: binds, key: Key(statement: single.name, settings: settings), values: values,
                                  cancellation: cancellation) { members, connection in
            let bytes = try await connection.query(batch, binds: plan.bindValues(members: members.map(\.values)))
            guard let bytes, let elements = JSONArrayElements.slices(of: bytes), elements.count == members.count else { return nil }
            return elements.map { Optional($0) }
        }
    }

    /// The answer of a mutation of one statement: run alone if a connection and a place are
    /// free, else in a batch with other writes of the same settings.
    func write(_ statement: PreparedSQL, binds: [SQLValue], settings: ConnectionSettings,
               cancellation: QueryCancellation?) async throws -> ByteBuffer? {
        return try await coalesce(statement, binds: binds, key: Key(statement: "", settings: settings), values: { "" },
                                  cancellation: cancellation) { members, connection in
            // One answer per statement, or a throw: committed writes are never run again.
            try await connection.pipeline(members.map { ($0.statement, $0.binds) })
        }
    }

    /// A member of a started batch: its number, and what it runs.
    private typealias Started = (number: Int, statement: PreparedSQL, values: String, binds: [SQLValue])

    /// Runs the members of a batch together on a connection: each member's answer, in order,
    /// or nil when they must run one by one instead. Throws what the server said.
    private typealias Together = @Sendable ([Started], SessionTransaction) async throws -> [ByteBuffer?]?

    /// Runs `single` alone if a connection and a place are free, else in the open batch of `key`
    /// (opening one if none is), which `together` runs.
    private func coalesce(_ single: PreparedSQL, binds: [SQLValue], key: Key, values: () -> String,
                          cancellation: QueryCancellation?, together: @escaping Together) async throws -> ByteBuffer? {
        let entry = state.withLock { state -> Entry in
            var leads = false
            let joined: Batch
            if let open = state.open[key] {
                joined = open
            } else {
                if state.running < places, pool.hasFreeConnection {
                    state.running += 1
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
            joined.members.append(Member(statement: single, binds: binds, values: values()))
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
            return try await pool.query(single, binds: binds, settings: key.settings, cancellation: cancellation)
        case .refused:
            throw pool.refuseExhausted()
        case .joined(let opened, let number, let leads):
            (joined, member) = (opened, number)
            if leads {
                Task(executorPreference: pool.executor) {
                    await self.run(opened, together: together)
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

    /// Statements of this kind running now, alone or as batches.
    var statementsRunning: Int {
        state.withLock { $0.running }
    }

    /// One of the places, for `batch`: at once if one is free, else after the batches
    /// queued before it — at most the pool's acquire timeout, then `pool-exhausted`.
    private func takePlace(for batch: Batch) async throws {
        let granted = state.withLock { state in
            guard state.running < places else { return false }
            state.running += 1
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
                guard state.running < places else {
                    state.placeQueue.append(wait)
                    return false
                }
                state.running += 1
                return true
            }
            if granted { wait.resume() }
        }
    }

    /// A statement ended: its place goes to the first batch waiting for one, if any.
    private func givePlaceBack() {
        let next = state.withLock { state -> PlaceWait? in
            guard state.placeQueue.isEmpty else { return state.placeQueue.removeFirst() }
            state.running -= 1
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
    private func start(_ batch: Batch) throws -> [Started] {
        try state.withLock { state in
            if state.open[batch.key] === batch { state.open[batch.key] = nil }
            if !batch.started { state.waiting -= batch.present }
            batch.started = true
            var members: [Started] = []
            members.reserveCapacity(batch.present)
            for (number, member) in batch.members.enumerated() {
                if let member { members.append((number, member.statement, member.values, member.binds)) }
            }
            guard !members.isEmpty else { throw CancellationError() }
            return members
        }
    }

    /// Runs the batch once it gets a place and a connection, and answers its members.
    private func run(_ batch: Batch, together: Together) async {
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
                    return [members[0].number: await Self.answer { try await connection.query(members[0].statement, binds: members[0].binds) }]
                }
                let started = ContinuousClock.now
                do {
                    if let elements = try await together(members, connection) {
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
                    let answer = await Self.answer { try await connection.query(member.statement, binds: member.binds) }
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
