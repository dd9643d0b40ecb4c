import Foundation
import Testing
import TestSupport
@testable import Database

@Suite("Migration files")
struct MigrationSetTests {
    func directory(_ files: [String: String]) throws -> String {
        let path = try TestScratch.directory("migrations")
        for (name, text) in files {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }
        return path
    }

    @Test("ordered by number, not by text")
    func order() throws {
        let path = try directory(["10_c.sql": "SELECT 3;", "2_b.sql": "SELECT 2;", "0001_a.sql": "SELECT 1;", "notes.txt": "x"])
        let set = try MigrationSet.load(directory: path)
        #expect(set.migrations.map(\.version) == ["0001", "2", "10"])
        #expect(set.migrations[0].checksum.count == 64)
    }

    @Test("a file without a version number is named in the error")
    func badName() throws {
        let path = try directory(["create_tasks.sql": "SELECT 1;"])
        #expect {
            try MigrationSet.load(directory: path)
        } throws: { error in
            "\(error)".contains("create_tasks.sql: migration file names must start with a version number")
        }
    }

    @Test("two files with one version are both named")
    func duplicate() throws {
        let path = try directory(["0003_a.sql": "SELECT 1;", "3_b.sql": "SELECT 2;"])
        #expect {
            try MigrationSet.load(directory: path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("0003_a.sql") && text.contains("3_b.sql")
        }
    }
}
