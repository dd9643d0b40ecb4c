import Foundation

/// Paths of the package under test.
public enum ProjectFiles {
    /// The package root: three levels above this source file.
    public static let root: String = {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// The built `strata` executable, beside the test bundle in the build directory.
    public static var strataExecutable: String { builtExecutable("strata") }

    /// An executable of the package, built beside the test bundle.
    public static func builtExecutable(_ name: String) -> String {
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
