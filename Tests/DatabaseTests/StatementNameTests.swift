import Crypto
import Database
import Foundation
import Testing

/// Prepared statements are named from a digest of their text, and migrations are recorded with
/// one: both must stay the same across versions, or a running database would see new names
/// for old statements and changed checksums for applied migrations.
@Suite("Statement names and checksums")
struct StatementNameTests {
    @Test("hex is lowercase, two digits a byte; a statement's name is the first 12 bytes of its SHA-256")
    func names() {
        #expect(Hex.encode([0x00, 0x0f, 0xab, 0xff]) == "000fabff")
        #expect(Hex.encode([UInt8]()) == "")
        // SHA-256 of "SELECT 1" starts e004ebd5b5532a4b85984a62.
        #expect(PreparedSQL("SELECT 1").name == "strata_e004ebd5b5532a4b85984a62")
    }
}
