import Synchronization

/// Which handlers have deliveries to look at, handed to the reader's workers one batch at a
/// time: a handler is never with two workers at once, and one whose batch came back full goes to
/// the back of the line, so a slow handler (a webhook) never keeps the others waiting.
final class HandlerQueue: Sendable {
    private struct State {
        /// Handler indices waiting for a worker, in order, each at most once.
        var waiting: [Int] = []
        var busy: Set<Int> = []
        var sleepers: [CheckedContinuation<Int?, Never>] = []
        var finished = false
    }

    private let state = Mutex(State())

    /// Handlers `indices` may have deliveries due.
    func mark<S: Sequence<Int>>(_ indices: S) {
        let resumed = state.withLock { state -> [(CheckedContinuation<Int?, Never>, Int)] in
            for index in indices where !state.waiting.contains(index) { state.waiting.append(index) }
            return Self.handOut(&state)
        }
        for (sleeper, index) in resumed { sleeper.resume(returning: index) }
    }

    /// The next handler for a worker, once there is one; nil once finished.
    func next() async -> Int? {
        await withCheckedContinuation { continuation in
            let answer = state.withLock { state -> Int?? in
                if state.finished { return .some(nil) }
                if let index = Self.take(&state) { return .some(index) }
                state.sleepers.append(continuation)
                return .none
            }
            if case .some(let index) = answer { continuation.resume(returning: index) }
        }
    }

    /// A worker is done with handler `index` for now; `again`: its batch was full.
    func done(_ index: Int, again: Bool) {
        let resumed = state.withLock { state -> [(CheckedContinuation<Int?, Never>, Int)] in
            state.busy.remove(index)
            if again, !state.waiting.contains(index) { state.waiting.append(index) }
            return Self.handOut(&state)
        }
        for (sleeper, index) in resumed { sleeper.resume(returning: index) }
    }

    /// No more work: sleeping workers and those asking later get nil.
    func finish() {
        let sleepers = state.withLock { state in
            state.finished = true
            defer { state.sleepers = [] }
            return state.sleepers
        }
        for sleeper in sleepers { sleeper.resume(returning: nil) }
    }

    /// The first waiting handler no worker holds, now held.
    private static func take(_ state: inout State) -> Int? {
        guard let position = state.waiting.firstIndex(where: { !state.busy.contains($0) }) else { return nil }
        let index = state.waiting.remove(at: position)
        state.busy.insert(index)
        return index
    }

    private static func handOut(_ state: inout State) -> [(CheckedContinuation<Int?, Never>, Int)] {
        var resumed: [(CheckedContinuation<Int?, Never>, Int)] = []
        while !state.sleepers.isEmpty, let index = take(&state) { resumed.append((state.sleepers.removeFirst(), index)) }
        return resumed
    }
}
