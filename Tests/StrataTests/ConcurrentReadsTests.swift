@testable import strata
import Foundation
import Testing

@Suite("how many reads run at once")
struct ConcurrentReadsTests {
    @Test("the cores when PostgreSQL runs on this machine, every connection for one elsewhere, or what the operator says")
    func defaults() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let options = try ListenOptions.parse([])
        #expect(try options.concurrentReadLimit(databaseURL: nil) == cores, "the embedded database")
        #expect(try options.concurrentReadLimit(databaseURL: "postgres://app@localhost/shop") == cores)
        #expect(try options.concurrentReadLimit(databaseURL: "postgres://app@db.internal:5432/shop") == nil)
        #expect(try ListenOptions.parse(["--concurrent-reads", "3"]).concurrentReadLimit(databaseURL: "postgres://app@db.internal/shop") == 3)
    }
}
