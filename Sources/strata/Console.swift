import Foundation

/// Lines for the person who started `strata`, on standard output, flushed at once so scripts
/// and tests waiting for them see them immediately.
enum Console {
    static func announce(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
