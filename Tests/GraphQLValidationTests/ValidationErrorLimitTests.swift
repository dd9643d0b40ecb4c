import GraphQLLanguage
import Testing
@testable import GraphQLValidation

@Suite("Validation error limit")
struct ValidationErrorLimitTests {
    @Test("stops after the maximum with one final error")
    func limit() {
        var collector = ValidationErrorLimit(maximum: 3)
        var accepted = 0
        for index in 0..<10 where collector.report(GraphQLError("error \(index)")) {
            accepted += 1
        }
        #expect(accepted == 3)
        #expect(collector.errors.count == 4)
        #expect(collector.errors.last?.message == "Too many validation errors, error limit reached. Validation aborted.")
        #expect(collector.isExhausted)
    }
}
