import Foundation
import Testing
import TestSupport

@Suite("JSON Schema of the YAML format")
struct JSONSchemaTests {
    @Test("editors' JSON Schema accepts the demo schema and flags common mistakes")
    func demoSchemaValidates() async throws {
        let (status, report) = try await ScriptRun.run("/usr/bin/env", ["python3", ProjectFiles.root + "/scripts/lib/check-json-schema.py"])
        #expect(status == 0, "\(report)")
    }
}
