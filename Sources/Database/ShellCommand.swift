import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program run to completion, optionally as another OS user, with its output captured.
///
/// It is spawned directly with `posix_spawn`, every inherited descriptor closed, and its output
/// sent to a temporary file: `pg_ctl start` leaves a server running in the background, and a
/// server holding a pipe (or Foundation's exit-detection socket) would keep the command looking
/// alive forever.
struct ShellCommand: Sendable {
    var executable: String
    var arguments: [String]
    var user: ClusterUser = .current

    struct Result: Sendable {
        var status: Int32
        var output: String
        var succeeded: Bool { status == 0 }
    }

    func run() async throws -> Result {
        let child = try spawn()
        while true {
            if let status = child.poll() { return child.finish(status: status) }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Runs on the calling thread; for process-exit handlers, where no task can be awaited.
    func runBlocking() -> Result {
        guard let child = try? spawn() else { return Result(status: -1, output: "could not run \(executable)") }
        while true {
            if let status = child.poll() { return child.finish(status: status) }
            usleep(10_000)
        }
    }

    /// Runs the command and throws with its output when it fails.
    @discardableResult
    func runChecked(_ what: String) async throws -> Result {
        let result = try await run()
        guard result.succeeded else {
            throw EmbeddedClusterError("\(what) failed (exit \(result.status)): \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result
    }

    private func spawn() throws -> Child {
        let (launchPath, launchArguments) = user.wrap(executable: executable, arguments: arguments)
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("strata-cmd-\(UUID().uuidString).log").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        guard let closeFrom = SpawnExtensions.closeFrom, let changeDirectory = SpawnExtensions.changeDirectory else {
            throw EmbeddedClusterError("this C library lacks posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or newer is needed)")
        }
        _ = closeFrom(&actions, 3)
        // The cluster user may not be able to enter the caller's working directory.
        _ = changeDirectory(&actions, "/")

        let argv = ([launchPath] + launchArguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, launchPath, &actions, nil, argv, environ)
        guard result == 0 else {
            throw EmbeddedClusterError("could not run \(launchPath): \(String(cString: strerror(result)))")
        }
        return Child(pid: pid, outputPath: outputPath)
    }

    private struct Child {
        let pid: pid_t
        let outputPath: String

        /// The exit status once the process has ended, reaping it.
        func poll() -> Int32? {
            var status: Int32 = 0
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == 0 { return nil }
            if waited < 0 { return errno == EINTR ? nil : -1 }
            // WIFEXITED / WEXITSTATUS, spelled out: the C macros are not imported into Swift.
            return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }

        func finish(status: Int32) -> Result {
            let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: outputPath)
            return Result(status: status, output: output)
        }
    }
}

/// glibc's spawn extensions, which Swift does not import (they sit behind `_GNU_SOURCE`).
private enum SpawnExtensions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: T.self)
    }
}
