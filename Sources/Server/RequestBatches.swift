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
/// A request never waits for a batch when a connection is free, so coalescing only replaces
/// waiting in the pool's queue, one place for many. Each member's answer is what it would get
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

    private struct Batch {
        let key: Key
        let cancellation = QueryCancellation()
        var members: [Int: Member] = [:]
        /// Member ids in the order they joined.
        var order: [Int] = []
        var started = false
        /// Answered: kept only for members yet to collect their answers.
        var finished = false
    }

    private struct State {
        /// The batch of each key that still takes members.
        var open: [Key: Int] = [:]
        var batches: [Int: Batch] = [:]
        var nextID = 0
        /// What one member has cost in the batches of each statement (its name), averaged.
        var memberCosts: [String: Duration] = [:]
        /// Members of batches that have not started: requests waiting for a connection, which
        /// count toward the pool's `maximumWaiting` beside its own waiters (a batch waiting for a
        /// connection is one of those).
        var waiting = 0
    }

    private enum Entry {
        case alone
        case refused
        case joined(batch: Int, member: Int, leads: Bool)
    }

    let pool: SessionPool
    /// The most requests one statement runs for; a full batch closes to newcomers.
    let maximumMembers: Int
    /// About how long a batch's statement may take: a heavy query's batches stay small, so its
    /// members do not wait long for one another; a batch of a query not measured yet takes
    /// `firstMembers`.
    static let batchBudget = Duration.milliseconds(2)
    static let firstMembers = 8
    private let state = Mutex(State())

    init(pool: SessionPool, maximumMembers: Int = 32) {
        self.pool = pool
        self.maximumMembers = maximumMembers
    }

    /// The data of one request: run alone if a connection is free, else in a batch.
    /// - Parameters:
    ///   - single: the plan's own statement, with `binds`.
    ///   - batch: the plan's statement for many members (`CohortPlan.prepared`), whose binds
    ///     `plan` makes; `values` the request's parameter values as one member.
    func query(_ single: PreparedSQL, binds: [SQLValue], batch: PreparedSQL, plan: CohortPlan, values: () -> String,
               settings: ConnectionSettings, cancellation: QueryCancellation?) async throws -> ByteBuffer? {
        let key = Key(statement: single.name, settings: settings)
        let entry = state.withLock { state -> Entry in
            var leads = false
            let id: Int
            if let open = state.open[key] {
                id = open
            } else {
                guard !pool.hasFreeConnection else { return .alone }
                state.nextID += 1
                id = state.nextID
                state.batches[id] = Batch(key: key)
                state.open[key] = id
                leads = true
            }
            guard state.waiting + pool.statistics.waiting < pool.configuration.maximumWaiting else {
                if leads { state.batches[id] = nil; state.open[key] = nil }
                return .refused
            }
            state.waiting += 1
            state.nextID += 1
            let member = state.nextID
            state.batches[id]?.members[member] = Member(values: values(), binds: binds)
            state.batches[id]?.order.append(member)
            if state.batches[id]?.order.count ?? 0 >= Self.capacity(memberCost: state.memberCosts[key.statement], maximum: maximumMembers) {
                state.open[key] = nil
            }
            return .joined(batch: id, member: member, leads: leads)
        }
        let joined: (batch: Int, member: Int, leads: Bool)
        switch entry {
        case .alone: return try await pool.query(single, binds: binds, settings: settings, cancellation: cancellation)
        case .refused: throw pool.refuseExhausted()
        case .joined(let batch, let member, let leads): joined = (batch, member, leads)
        }
        if joined.leads {
            Task(executorPreference: pool.executor) {
                await self.run(joined.batch, key: key, single: single, batch: batch, plan: plan)
            }
        }
        do {
            return try await cancellation.whileRunning(onCancel: { self.leave(joined.batch, member: joined.member) }) {
                try await withCheckedThrowingContinuation { reply in
                    if let answer = attach(reply, to: joined.member, of: joined.batch) { reply.resume(with: answer) }
                }
            }
        } catch {
            leave(joined.batch, member: joined.member)
            throw error
        }
    }

    /// Requests waiting in batches that have not started.
    var waitingMembers: Int {
        state.withLock { $0.waiting }
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
    private func attach(_ reply: CheckedContinuation<ByteBuffer?, any Error>, to member: Int, of batch: Int) -> Answer? {
        state.withLock { state in
            guard var waiting = state.batches[batch]?.members[member] else { return .failure(CancellationError()) }
            if let answer = waiting.answer {
                state.batches[batch]?.members[member] = nil
                if state.batches[batch]?.members.isEmpty == true { state.batches[batch] = nil }
                return answer
            }
            waiting.reply = reply
            state.batches[batch]?.members[member] = waiting
            return nil
        }
    }

    /// `member` no longer waits (its client hung up): it leaves the batch, and the batch's
    /// statement is cancelled if it runs for nobody any more.
    private func leave(_ batch: Int, member: Int) {
        let (reply, cancellation) = state.withLock { state -> (CheckedContinuation<ByteBuffer?, any Error>?, QueryCancellation?) in
            guard var left = state.batches[batch], let gone = left.members.removeValue(forKey: member) else { return (nil, nil) }
            left.order.removeAll { $0 == member }
            if !left.started { state.waiting -= 1 }
            state.batches[batch] = left.finished && left.members.isEmpty ? nil : left
            let abandoned = left.started && !left.finished && left.members.isEmpty
            return (gone.reply, abandoned ? left.cancellation : nil)
        }
        reply?.resume(throwing: CancellationError())
        cancellation?.cancel()
    }

    /// The batch's members once it has a connection: the batch closes and runs for them.
    private func start(_ batch: Int) throws -> [(id: Int, values: String, binds: [SQLValue])] {
        try state.withLock { state in
            guard var started = state.batches[batch] else { throw CancellationError() }
            if state.open[started.key] == batch { state.open[started.key] = nil }
            if !started.started { state.waiting -= started.order.count }
            started.started = true
            state.batches[batch] = started
            guard !started.order.isEmpty else { throw CancellationError() }
            return started.order.compactMap { id in started.members[id].map { (id, $0.values, $0.binds) } }
        }
    }

    /// Runs the batch once it gets a connection, and answers its members.
    private func run(_ batch: Int, key: Key, single: PreparedSQL, batch statement: PreparedSQL, plan: CohortPlan) async {
        let cancellation = state.withLock { $0.batches[batch]?.cancellation }
        let answers: [Int: Answer]
        var failure: (any Error)?
        do {
            answers = try await pool.withConnection(settings: key.settings, cancellation: cancellation) { connection in
                let members = try start(batch)
                if members.count == 1 {
                    return [members[0].id: await Self.answer { try await connection.query(single, binds: members[0].binds) }]
                }
                let started = ContinuousClock.now
                do {
                    let bytes = try await connection.query(statement, binds: plan.bindValues(members: members.map(\.values)))
                    if let bytes, let elements = JSONArrayElements.split(String(buffer: bytes)), elements.count == members.count {
                        record(key.statement, elapsed: .now - started, members: members.count)
                        pool.countBatch(of: members.count)
                        return Dictionary(uniqueKeysWithValues: zip(members, elements).map { ($0.id, .success(ByteBuffer(string: $1))) })
                    }
                } catch where DatabaseServerError.of(error).map({ $0.sqlState != "57014" }) ?? false {
                    // Failed on the server: below, each member runs alone on this connection, to get what it would alone.
                }
                var answers: [Int: Answer] = [:]
                for member in members where isWaiting(member.id, in: batch) {
                    let answer = await Self.answer { try await connection.query(single, binds: member.binds) }
                    // A broken connection or a cancel ends the batch for everyone left.
                    if case .failure(let error) = answer, DatabaseServerError.of(error) == nil { throw error }
                    answers[member.id] = answer
                }
                return answers
            }
        } catch {
            answers = [:]
            failure = error
        }
        finish(batch, answers: answers, failure: failure)
    }

    /// What `body` returned, or threw.
    private static func answer(_ body: () async throws -> ByteBuffer?) async -> Answer {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// Whether `member` still waits for its answer.
    private func isWaiting(_ member: Int, in batch: Int) -> Bool {
        state.withLock { $0.batches[batch]?.members[member] != nil }
    }

    /// Ends the batch: each member still in it gets its answer, or `failure`.
    private func finish(_ batch: Int, answers: [Int: Answer], failure: (any Error)?) {
        let replies = state.withLock { state -> [(CheckedContinuation<ByteBuffer?, any Error>, Answer)] in
            guard var ended = state.batches[batch] else { return [] }
            if state.open[ended.key] == batch { state.open[ended.key] = nil }
            // A batch that never got a connection ends its members' wait here.
            if !ended.started {
                state.waiting -= ended.order.count
                ended.started = true
            }
            var replies: [(CheckedContinuation<ByteBuffer?, any Error>, Answer)] = []
            for id in ended.order {
                let answer = answers[id] ?? .failure(failure ?? CancellationError())
                if let reply = ended.members[id]?.reply {
                    replies.append((reply, answer))
                    ended.members[id] = nil
                } else {
                    ended.members[id]?.answer = answer
                }
            }
            // Members yet to wait for their answer find it here; the batch goes with the last.
            ended.finished = true
            state.batches[batch] = ended.members.isEmpty ? nil : ended
            return replies
        }
        for (reply, answer) in replies { reply.resume(with: answer) }
    }
}
