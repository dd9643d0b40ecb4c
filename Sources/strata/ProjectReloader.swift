import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the project on SIGHUP and, when watching (`strata dev`), whenever a file under the
/// watched directories changes — checked every `interval` by the files' names, sizes and
/// modification times. `reload` does the work and says what became of it.
struct ProjectReloader: Service {
    let watched: [String]
    let interval: Duration
    let logger: Logger
    let reload: @Sendable () async -> Void

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await _ in signals {
                        logger.info("SIGHUP: reloading strata.yaml, the schema and the trusted documents")
                        await reload()
                    }
                }
                if !watched.isEmpty {
                    group.addTask {
                        var last = fingerprint()
                        while !Task.isCancelled {
                            try? await Task.sleep(for: interval)
                            let now = fingerprint()
                            if now != last {
                                last = now
                                logger.info("a project file changed: reloading")
                                await reload()
                            }
                        }
                    }
                }
            }
        }
    }

    /// Every file under the watched directories with its size and modification time.
    func fingerprint() -> [String: String] {
        var files: [String: String] = [:]
        for directory in watched {
            guard let walker = FileManager.default.enumerator(atPath: directory) else { continue }
            while let path = walker.nextObject() as? String {
                let full = directory + "/" + path
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: full),
                      attributes[.type] as? FileAttributeType == .typeRegular else { continue }
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                files[full] = "\(attributes[.size] ?? 0)@\(modified)"
            }
        }
        return files
    }
}
