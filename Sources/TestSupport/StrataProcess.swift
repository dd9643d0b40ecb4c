import Foundation
import Synchronization

/// A running `strata` executable, for end-to-end tests of the command line.
public final class StrataProcess: Sendable {
    private let process: Process
    private let output = CapturedOutput()
    private let standardErrorPipe: Pipe

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
        self.standardErrorPipe = stderr
        stdout.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            output.bytes.withLock { data.isEmpty ? ($0.stdoutClosed = true) : $0.stdout.append(contentsOf: data) }
        }
        resumeReadingStandardError()
        try process.run()
    }

    /// Stops reading the process's standard error: once the pipe's buffer is full, its writes
    /// wait, as they would for a log collector that stalls.
    public func pauseReadingStandardError() {
        standardErrorPipe.fileHandleForReading.readabilityHandler = nil
    }

    public func resumeReadingStandardError() {
        standardErrorPipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            output.bytes.withLock { data.isEmpty ? ($0.stderrClosed = true) : $0.stderr.append(contentsOf: data) }
        }
    }

    /// A test that fails before stopping its server must not leave it (and its cluster) running.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    }

    public var standardOutput: String { output.bytes.withLock { String(decoding: $0.stdout, as: UTF8.self) } }
    public var standardError: String { output.bytes.withLock { String(decoding: $0.stderr, as: UTF8.self) } }

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
        // Read what the pipes still hold: until both reach their end, or for at most two
        // seconds (a child the process started may keep them open).
        let drained = ContinuousClock.now + .seconds(2)
        while !output.bytes.withLock({ $0.stdoutClosed && $0.stderrClosed }), ContinuousClock.now < drained {
            try await Task.sleep(for: .milliseconds(10))
        }
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

/// What the process has written so far, appended to from the pipes' reader threads, as bytes
/// (a character may be split between two reads), and whether each pipe has reached its end.
final class CapturedOutput: Sendable {
    struct Bytes {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var stdoutClosed = false
        var stderrClosed = false
    }

    let bytes = Mutex(Bytes())
}

public struct StrataProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
