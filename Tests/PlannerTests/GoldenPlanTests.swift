import Testing

/// Each golden operation plans to exactly the statement and parameters on file.
@Suite("Golden plans")
struct GoldenPlanTests {
    @Test("the demo operations plan to the SQL on file", arguments: GoldenCase.all)
    func plan(_ golden: GoldenCase) throws {
        let plan = try golden.plan()
        let (expected, actual) = try golden.golden(".sql", plan.goldenText)
        #expect(actual == expected)
    }

    @Test("there are at least forty golden operations")
    func count() {
        #expect(GoldenCase.all.count >= 40)
    }
}
