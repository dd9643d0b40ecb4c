import Database
import NIOCore
import Planner
import SQL
import Synchronization

/// The live queries of one cohort: subscribers of one plan, in one role and tenant — the
/// settings row-level security reads. A change to a table the plan reads refreshes the whole
/// cohort with one statement carrying every member's variables and session values; subscribers
/// with the same values share one result. Refreshes run one at a time and at most one per
/// `interval`, coalescing the changes in between; a member is sent a result only when it
/// differs from the last one it was sent.
final class LiveCohort: Sendable {
    struct Key: Hashable, Sendable {
        let sql: String
        let role: String
        let tenant: String?
    }

    private struct Member {
        /// Its parameter values as the JSON array the cohort's statement reads.
        let values: String
        /// The subscriber's own request, run alone when the cohort's statement fails.
        let prepared: GraphQLExecutor.Prepared
        var last: String
        let deliver: @Sendable (String) -> Void
    }

    /// What a refresh binds and how its answer maps back to members, kept until membership changes.
    private struct Snapshot {
        let ids: [Int]
        /// Each member's place among the distinct value arrays.
        let positions: [Int]
        let distinct: Int
        let binds: [SQLValue]
    }

    private struct State {
        var members: [Int: Member] = [:]
        /// Nil after a member joined or left.
        var snapshot: Snapshot?
        var running = false
        var dirty = false
        var lastRun = ContinuousClock.now
    }

    let key: Key
    let tables: Set<String>
    private let plan: CohortPlan
    private let statement: PreparedSQL
    private let interval: Duration
    private let executor: any TaskExecutor
    private let service: SocketService
    private let counters: LiveCounters
    private let state = Mutex(State())

    init(key: Key, tables: Set<String>, plan: CohortPlan, interval: Duration, executor: any TaskExecutor, service: SocketService,
         counters: LiveCounters) {
        self.counters = counters
        self.key = key
        self.tables = tables
        self.plan = plan
        self.statement = plan.prepared
        self.interval = interval
        self.executor = executor
        self.service = service
    }

    func add(_ id: Int, prepared: GraphQLExecutor.Prepared, first: String, deliver: @escaping @Sendable (String) -> Void) {
        let values = CohortPlan.member(plan.memberValues(variables: prepared.variables, session: prepared.session))
        state.withLock { state in
            state.members[id] = Member(values: values, prepared: prepared, last: first, deliver: deliver)
            state.snapshot = nil
        }
    }

    /// Removes member `id`; says whether the cohort is empty now.
    func remove(_ id: Int) -> Bool {
        state.withLock { state in
            state.members.removeValue(forKey: id)
            state.snapshot = nil
            return state.members.isEmpty
        }
    }

    /// A table it reads changed: refresh, now or after the refresh under way.
    func changed() {
        let delay = state.withLock { state -> Duration? in
            guard !state.members.isEmpty else { return nil }
            guard !state.running else {
                state.dirty = true
                return nil
            }
            state.running = true
            return max(.zero, state.lastRun + interval - .now)
        }
        guard let delay else { return }
        Task(executorPreference: executor) { [self] in
            if delay > .zero { try? await Task.sleep(for: delay) }
            let snapshot = state.withLock { state in
                state.lastRun = .now
                if let snapshot = state.snapshot { return snapshot }
                let snapshot = makeSnapshot(state.members)
                state.snapshot = snapshot
                return snapshot
            }
            let results = await refresh(snapshot)
            var sends: [(@Sendable (String) -> Void, String)] = []
            let again = state.withLock { state -> Bool in
                state.running = false
                for (id, result) in results {
                    guard let member = state.members[id], member.last != result else { continue }
                    state.members[id]?.last = result
                    sends.append((member.deliver, result))
                }
                let again = state.dirty && !state.members.isEmpty
                state.dirty = false
                return again
            }
            for (deliver, result) in sends { deliver(result) }
            if again { changed() }
        }
    }

    private func makeSnapshot(_ members: [Int: Member]) -> Snapshot {
        var groups: [String: Int] = [:]
        var distinct: [String] = []
        var ids: [Int] = []
        var positions: [Int] = []
        for (id, member) in members {
            ids.append(id)
            if let position = groups[member.values] {
                positions.append(position)
            } else {
                groups[member.values] = distinct.count
                positions.append(distinct.count)
                distinct.append(member.values)
            }
        }
        return Snapshot(ids: ids, positions: positions, distinct: distinct.count, binds: plan.bindValues(members: distinct))
    }

    /// Each member's result: one statement for all of them; if it fails, each member's own
    /// request, so each gets the error (or result) it would get alone.
    private func refresh(_ snapshot: Snapshot) async -> [(Int, String)] {
        counters.refreshes.add(1, ordering: .relaxed)
        counters.statements.add(1, ordering: .relaxed)
        if let results = await run(snapshot.binds), results.count == snapshot.distinct {
            let wrapped = results.map { "{\"data\":" + $0 + "}" }
            return zip(snapshot.ids, snapshot.positions).map { ($0, wrapped[$1]) }
        }
        let members = state.withLock { state in snapshot.ids.compactMap { id in state.members[id].map { (id, $0.prepared) } } }
        var results: [(Int, String)] = []
        for (id, prepared) in members {
            counters.statements.add(1, ordering: .relaxed)
            results.append((id, await service.refreshed(prepared)))
        }
        return results
    }

    /// The cohort's statement under its role and tenant: each distinct member's `data`, or nil
    /// when it failed.
    private func run(_ binds: [SQLValue]) async -> [String]? {
        guard let pool = (service.hub?.refreshPools ?? service.executor.pools)?.current else { return nil }
        let settings = ConnectionSettings(role: key.role, tenantID: key.tenant, userID: nil, claims: "{}")
        do {
            guard let bytes = try await pool.query(statement, binds: binds, settings: settings) else { return nil }
            return JSONArrayElements.split(String(buffer: bytes))
        } catch {
            service.executor.logger.debug("a live query cohort's refresh failed; refreshing its members one by one",
                                          metadata: ["error": "\(String(reflecting: error))"])
            return nil
        }
    }
}

/// What the live queries of a process did, counted since it started.
final class LiveCounters: Sendable {
    /// Cohort refreshes: one per cohort per wake-up.
    let refreshes = Atomic(0)
    /// Statements they ran: one per refresh, plus one per member when a cohort's statement failed.
    let statements = Atomic(0)
}
