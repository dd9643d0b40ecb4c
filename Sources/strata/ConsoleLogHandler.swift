import Foundation
import Logging
import Synchronization

/// Log lines on standard error: `2026-11-22T09:30:00Z warning strata: key=value message`.
/// Metadata is rendered when a line is written rather than whenever it is attached, since the
/// HTTP server attaches a request id to the logger of every request and few of them log.
struct ConsoleLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    private static let output = Mutex(())

    init(label: String, logLevel: Logger.Level) {
        self.label = label
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let explicit = event.metadata { all.merge(explicit) { $1 } }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let time = Date.now.formatted(.iso8601)
        let line = ([time, event.level.rawValue, label + ":"] + fields + [event.message.description]).joined(separator: " ") + "\n"
        Self.output.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }
}
