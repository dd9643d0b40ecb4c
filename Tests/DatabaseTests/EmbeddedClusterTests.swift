import Foundation
import Logging
import Testing
import TestSupport
@testable import Database

@Suite("Embedded PostgreSQL cluster", .serialized)
struct EmbeddedClusterTests {
    let logger = Logger(label: "test")

    func postmasterPID(_ cluster: EmbeddedCluster) -> String? {
        (try? String(contentsOfFile: cluster.clusterDirectory + "/postmaster.pid", encoding: .utf8))?
            .split(separator: "\n").first.map(String.init)
    }

    @Test("starts once, is reused by a second user, and stops when the last one leaves")
    func reuse() async throws {
        let directory = try TestScratch.directory("embedded")
        let cluster = try EmbeddedCluster(dataDirectory: directory, options: .init(durable: false), logger: logger)
        let first = try await cluster.start()
        let pid = postmasterPID(cluster)
        #expect(pid != nil)

        let second = try await cluster.start()
        #expect(postmasterPID(cluster) == pid, "the second start must reuse the running postmaster")

        let strata = try await cluster.withSuperuserConnection { connection in
            try await connection.query("SELECT current_database()", logger: logger).collect().first?.decode(String.self)
        }
        #expect(strata == "strata")

        try await cluster.release(first)
        #expect(try await cluster.isRunning(), "another lease is still held")
        try await cluster.release(second)
        #expect(try await cluster.isRunning() == false)

        // A restart keeps the data: no second initdb.
        let third = try await cluster.start()
        #expect(postmasterPID(cluster) != pid)
        try await cluster.release(third)
    }

    @Test("missing server programs give one clear error naming the package")
    func missingBinaries() {
        #expect {
            try PostgresBinaries.locate(path: "/nonexistent", packageRoot: "/nonexistent/postgresql")
        } throws: { error in
            "\(error)".contains("apt-get install postgresql")
        }
    }

    @Test("a data directory too long for a socket is refused before initdb")
    func longPath() async throws {
        let directory = "/tmp/" + String(repeating: "d", count: 110)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = try EmbeddedCluster(dataDirectory: directory, logger: logger)
        await #expect {
            _ = try await cluster.start()
        } throws: { error in
            "\(error)".contains("too long for a Unix socket")
        }
    }
}
