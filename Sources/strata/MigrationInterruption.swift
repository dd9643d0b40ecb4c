import Foundation
import Logging
import UnixSignals

/// SIGTERM and SIGINT during `strata migrate`: the command stops at once, whatever it is doing.
/// The embedded PostgreSQL is stopped (its backends end, so the file under way rolls back; a
/// database elsewhere rolls it back when the connection drops), and the command says what stays
/// applied. The signals are trapped before the database is opened, so one arriving while the
/// embedded cluster starts is acted on as soon as it runs — it is never left running.
actor MigrationInterruption {
    private var connections: DatabaseConnections?
    private var signal: UnixSignal?
    private var watcher: Task<Void, Never>?
    private let logger: Logger

    private init(logger: Logger) {
        self.logger = logger
    }

    /// Traps the signals from now on.
    static func trap(logger: Logger) async -> MigrationInterruption {
        let interruption = MigrationInterruption(logger: logger)
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        await interruption.watch(signals)
        return interruption
    }

    private func watch(_ signals: UnixSignalsSequence) {
        watcher = Task {
            for await signal in signals {
                await self.interrupted(by: signal)
            }
        }
    }

    /// The database is open: a signal now, or one that came while it opened, closes it.
    func opened(_ connections: DatabaseConnections) async {
        self.connections = connections
        if let signal { await stop(signal) }
    }

    /// The command is done; signals no longer stop it.
    func finish() {
        watcher?.cancel()
        connections = nil
    }

    private func interrupted(by signal: UnixSignal) async {
        guard self.signal == nil else { return }
        self.signal = signal
        if connections != nil { await stop(signal) }
    }

    private func stop(_ signal: UnixSignal) async {
        if let connections { await connections.close(logger: logger) }
        FileHandle.standardError.write(Data(("strata: stopped by \(signal): the migrations applied before it stay applied; the one under way "
            + "was rolled back. Run strata migrate again to go on.\n").utf8))
        Foundation.exit(signal == .sigint ? 130 : 143)
    }
}
