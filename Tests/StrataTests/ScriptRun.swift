import Foundation
import TestSupport

/// Runs a project script to completion and returns its exit status and combined output. The
/// script runs for seconds (a first run installs its Python packages): it is waited for on a
/// thread of its own, never on the cooperative pool the other tests share.
enum ScriptRun {
    static func run(_ executable: String, _ arguments: [String] = [], directory: String? = nil,
                    environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await OwnThread.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
    }
}
