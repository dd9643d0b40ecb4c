#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Hands back the executable's pages that only startup used. Reading the YAML, migrating,
/// building every role's schema and its introspection touch a large part of the program's code
/// and constant data, which then sit in the process's memory doing nothing: most of an idle
/// server's RSS. Once the server listens and its other services have started, the clean pages
/// mapped from the executable are paged out (`MADV_PAGEOUT`); the ones requests use come back
/// on first use, from the page cache. Written (private dirty) pages stay: paging them out needs
/// swap, which the kernel then skips.
enum StartupPages {
    /// `MADV_PAGEOUT` (Linux 5.4); older kernels answer EINVAL, and nothing happens.
    private static let pageOut: Int32 = 21

    /// Pages out once the services started beside the listener (event workers, the change
    /// feed, schedules) have had time to finish starting too.
    static func releaseWhenSettled(after delay: Duration = .seconds(3)) {
        Task.detached(priority: .background) {
            try? await Task.sleep(for: delay)
            release()
        }
    }

    /// Pages out the executable's clean mapped pages.
    private static func release() {
        #if os(Linux)
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
              let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return }
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[5].trimmingCharacters(in: .whitespaces) == executable else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), end > start,
                  let address = UnsafeMutableRawPointer(bitPattern: start) else { continue }
            _ = madvise(address, Int(end - start), pageOut)
        }
        #endif
    }
}
