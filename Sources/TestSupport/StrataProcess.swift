import Foundation
import Synchronization

/// A running `strata` executable, for end-to-end tests of the command line.
public final class StrataProcess: Sendable {
    private let process: Process
    private let output = CapturedOutput()

    /// Starts `strata arguments…` (or another of the package's executables) in `directory` (the
    /// package root by default) with extra environment.
    public init(_ arguments: [String], environment: [String: String] = [:], directory: String = ProjectFiles.root,
                executable: String = ProjectFiles.strataExecutable) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var merged = ProcessInfo.processInfo.environment
        // The test runner's own settings must not leak into the process under test.
        for key in ["DATABASE_URL", "STRATA_PORT", "STRATA_HOST", "STRATA_DATA_DIR"] { merged[key] = nil }
        merged.merge(environment) { $1 }
        process.environment = merged
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        self.process = process
        stdout.fileHandleForReading.readabilityHandler = { [output] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            output.text.withLock { $0.stdout += text }
        }
        stderr.fileHandleForReading.readabilityHandler = { [output] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            output.text.withLock { $0.stderr += text }
        }
        try process.run()
    }

    /// A test that fails before stopping its server must not leave it (and its cluster) running.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    }

    public var standardOutput: String { output.text.withLock { $0.stdout } }
    public var standardError: String { output.text.withLock { $0.stderr } }

    /// Waits until standard output contains `text`, and returns the line holding it.
    public func waitForOutput(containing text: String, timeout: Duration = .seconds(120)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = standardOutput.split(separator: "\n").first(where: { $0.contains(text) }) {
                return String(line)
            }
            guard process.isRunning else {
                throw StrataProcessError("strata exited (\(process.terminationStatus)) before printing '\(text)'.\nstdout: \(standardOutput)\nstderr: \(standardError)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw StrataProcessError("timed out waiting for '\(text)'.\nstdout: \(standardOutput)\nstderr: \(standardError)")
    }

    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end and returns its exit status.
    public func exitStatus(timeout: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw StrataProcessError("strata did not exit in time.\nstdout: \(standardOutput)\nstderr: \(standardError)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Let the pipes drain.
        try await Task.sleep(for: .milliseconds(100))
        return process.terminationStatus
    }

    /// Runs `strata arguments…` to completion: (status, stdout, stderr).
    public static func run(_ arguments: [String], environment: [String: String] = [:],
                           directory: String = ProjectFiles.root) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = try StrataProcess(arguments, environment: environment, directory: directory)
        let status = try await process.exitStatus()
        return (status, process.standardOutput, process.standardError)
    }
}

/// What the process has written so far, appended to from the pipes' reader threads.
final class CapturedOutput: Sendable {
    let text = Mutex<(stdout: String, stderr: String)>(("", ""))
}

public struct StrataProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
