import GraphQLLanguage
import GraphQLTypeSystem
import Planner
import Synchronization

/// One stream subscription: reads the rows after its cursor in batches, sends each non-empty
/// batch in order, and advances the cursor to the batch's last row. A full batch is followed by
/// the next at once; after a short one it waits until a table it reads changes in its tenant.
/// The first batch is sent even when empty, so the subscriber knows the stream is live.
final class LiveStream: Sendable {
    private struct State {
        var cursor: String?
        var running = false
        var dirty = false
        var stopped = false
        var first = true
    }

    let tenant: String?
    let tables: Set<String>
    /// The role of its session.
    var role: String { prepared.session.role }
    private let prepared: GraphQLExecutor.Prepared
    private let plan: StreamPlan
    private let executor: any TaskExecutor
    private let service: SocketService
    private let deliver: @Sendable (String) -> Void
    private let fail: @Sendable (String) -> Void
    private let state: Mutex<State>

    init(_ prepared: GraphQLExecutor.Prepared, plan: StreamPlan, executor: any TaskExecutor, service: SocketService,
         deliver: @escaping @Sendable (String) -> Void, fail: @escaping @Sendable (String) -> Void) {
        self.fail = fail
        self.tenant = prepared.session.tenantID
        self.tables = prepared.readTables
        self.prepared = prepared
        self.plan = plan
        self.executor = executor
        self.service = service
        self.deliver = deliver
        self.state = Mutex(State(cursor: plan.initialCursor))
    }

    /// Whether a change wakes it once settled rather than once committed (the event channel).
    var followsSettledChanges: Bool { plan.followsSettledChanges }

    func stop() {
        state.withLock { $0.stopped = true }
    }

    /// A table it reads changed (or it has just started): read on, now or after the read under way.
    func changed() {
        let start = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            guard !state.running else {
                state.dirty = true
                return false
            }
            state.running = true
            return true
        }
        guard start else { return }
        Task(executorPreference: executor) { await self.readOn() }
    }

    private func readOn() async {
        while true {
            let (cursor, first) = state.withLock { ($0.cursor, $0.first) }
            var variables = prepared.variables
            variables[StreamPlan.cursorVariable] = cursor.map(JSONValue.string) ?? .null
            let run = GraphQLExecutor.Prepared(operation: prepared.operation, operationName: prepared.operationName, entry: prepared.entry, variables: variables,
                                               session: prepared.session)
            var full = false
            switch await service.executor.run(run) {
            case .data(let data):
                guard let batch = Self.batch(String(buffer: data), key: plan.responseKey) else {
                    // The planner's statement always answers this shape; should it not, the
                    // stream cannot know where it stands, and the connection ends with 4500.
                    fail("a stream's batch could not be read")
                    state.withLock { $0.stopped = true }
                    return
                }
                if !batch.rows.isEmpty || first {
                    let key = JSONText.quoted(plan.responseKey)
                    deliver("{\"data\":{" + key + ":" + JSONValue.array(batch.rows).serialized + "}}")
                }
                full = batch.scanned >= plan.batchSize
                if let last = batch.cursor { state.withLock { $0.cursor = last } }
            case .requestErrors(let errors), .executionErrors(let errors):
                deliver(SocketService.failed(errors))
            }
            let again = state.withLock { state -> Bool in
                state.first = false
                guard !state.stopped else { return false }
                if full || state.dirty {
                    state.dirty = false
                    return true
                }
                state.running = false
                return false
            }
            if !again { return }
        }
    }

    /// `{"<key>": {"rows": [...], "cursors": [...]}}`: the rows to send, how many rows the batch
    /// read (an event channel reads events it does not send), and the cursor's new value.
    static func batch(_ text: String, key: String) -> (rows: [JSONValue], scanned: Int, cursor: String?)? {
        guard case .object(let data)? = try? JSONValue.parse(text),
              case .object(let members)? = data.first(where: { $0.0 == key })?.1,
              case .array(let rows)? = members.first(where: { $0.0 == "rows" })?.1,
              case .array(let cursors)? = members.first(where: { $0.0 == "cursors" })?.1 else { return nil }
        if case .string(let last)? = cursors.last { return (rows, cursors.count, last) }
        return (rows, cursors.count, nil)
    }
}
