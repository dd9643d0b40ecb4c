@testable import strata
import Foundation
import Testing

@Suite("how many reads and writes run at once")
struct ConcurrencyLimitsTests {
    @Test("reads: the cores when PostgreSQL runs on this machine, every connection for one elsewhere, or what the operator says")
    func reads() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let options = try ListenOptions.parse([])
        #expect(try options.concurrentReadLimit(databaseURL: nil) == cores, "the embedded database")
        #expect(try options.concurrentReadLimit(databaseURL: "postgres://app@localhost/shop") == cores)
        #expect(try options.concurrentReadLimit(databaseURL: "postgres://app@db.internal:5432/shop") == nil)
        #expect(try ListenOptions.parse(["--concurrent-reads", "3"]).concurrentReadLimit(databaseURL: "postgres://app@db.internal/shop") == 3)
    }

    @Test("writes: the same defaults, set apart from reads")
    func writes() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let options = try ListenOptions.parse(["--concurrent-reads", "5"])
        #expect(try options.concurrentWriteLimit(databaseURL: nil) == cores, "the embedded database")
        #expect(try options.concurrentWriteLimit(databaseURL: "postgres://app@127.0.0.1/shop") == cores)
        #expect(try options.concurrentWriteLimit(databaseURL: "postgres://app@db.internal:5432/shop") == nil)
        let set = try ListenOptions.parse(["--concurrent-writes", "6"])
        #expect(try set.concurrentWriteLimit(databaseURL: nil) == 6)
        #expect(try set.concurrentReadLimit(databaseURL: nil) == cores)
    }
}
