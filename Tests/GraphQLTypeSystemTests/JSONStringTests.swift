import GraphQLTypeSystem
import Testing

/// Strings in request bodies: read in runs, decoded where they hold escapes, refused with the
/// offset of the problem where they are not JSON.
@Suite("JSON strings")
struct JSONStringTests {
    func string(_ json: String) throws -> String? {
        if case .string(let text) = try JSONValue.parse(json) { return text }
        return nil
    }

    func failure(_ bytes: [UInt8]) -> JSONValue.SyntaxError? {
        do {
            _ = try JSONValue.parse(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test("plain, non-ASCII and escaped strings read as their text")
    func decoded() throws {
        #expect(try string(#""query TaskByPk { id }""#) == "query TaskByPk { id }")
        #expect(try string(#""""#) == "")
        #expect(try string(#""Zoë ☕ 𝄞""#) == "Zoë ☕ 𝄞")
        #expect(try string(##""# one\n{ a }\n""##) == "# one\n{ a }\n")
        #expect(try string(#""\"quoted\" \\ \/ \b\f\r\t""#) == "\"quoted\" \\ / \u{8}\u{C}\r\t")
        #expect(try string(#""caf\u00e9 and Zoë\n""#) == "café and Zoë\n")
        #expect(try string(#""\ud834\udd1e clef""#) == "𝄞 clef")
        #expect(try JSONValue.parse(#"{"query":"{ a }\n","variables":{"id":"x"}}"#)
            == .object([("query", .string("{ a }\n")), ("variables", .object([("id", .string("x"))]))]))
    }

    @Test("invalid UTF-8, control characters, bad escapes and unterminated strings are refused where they are")
    func refused() {
        // `"a` 0xC3 `"`: the byte does not begin a sequence; found once the string is read.
        #expect(failure([0x22, 0x61, 0xC3, 0x22]).map { [$0.offset: $0.message] } == [4: "Invalid UTF-8 in JSON string"])
        // The same after an escape.
        #expect(failure(Array(#""\n"#.utf8) + [0xFF, 0x22]).map { [$0.offset: $0.message] } == [5: "Invalid UTF-8 in JSON string"])
        #expect(failure(Array("\"a\nb\"".utf8)).map { [$0.offset: $0.message] } == [2: "Control character in JSON string"])
        #expect(failure(Array(#""a\qb""#.utf8)).map { [$0.offset: $0.message] } == [4: "Invalid escape in JSON string"])
        #expect(failure(Array(#""abc"#.utf8)).map { [$0.offset: $0.message] } == [4: "Unterminated JSON string"])
        #expect(failure(Array(#""a\n"#.utf8)).map { [$0.offset: $0.message] } == [4: "Unterminated JSON string"])
        #expect(failure(Array(#""\ud834 alone""#.utf8))?.message == "Unpaired surrogate in JSON string")
    }

    @Test("runs are read eight bytes at a time: an end, an escape, a control character or a byte past ASCII found at every offset")
    func wordBoundaries() throws {
        for offset in 0..<26 {
            let before = String(repeating: "a", count: offset), after = String(repeating: "b", count: 25 - offset)
            #expect(try string("\"\(before)\"") == before)
            #expect(try string("\"\(before)\\n\(after)\"") == before + "\n" + after)
            #expect(try string("\"\(before)\u{e9}\(after)\"") == before + "\u{e9}" + after)
            #expect(failure(Array("\"\(before)\u{1}\(after)\"".utf8))?.offset == offset + 1)
            #expect(failure(Array("\"\(before)".utf8) + [0xFF] + Array("\(after)\"".utf8))?.message == "Invalid UTF-8 in JSON string")
        }
    }
}
