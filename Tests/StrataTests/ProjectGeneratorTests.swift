@testable import strata
import Testing

@Suite("strata init's names and YAML")
struct ProjectGeneratorTests {
    @Test("singulars for relationship names, GraphQL names, and YAML strings that read back as written")
    func namesAndStrings() {
        #expect(["tasks", "categories", "addresses", "boxes", "branches", "status", "analysis", "data", "people"].map(GraphQLNaming.singular)
            == ["task", "category", "address", "box", "branch", "status", "analysis", "data", "people"])
        #expect(GraphQLNaming.isValid("book_authors") && GraphQLNaming.isValid("_private") && GraphQLNaming.isValid("Type2"))
        #expect(!GraphQLNaming.isValid("__secret") && !GraphQLNaming.isValid("2fa") && !GraphQLNaming.isValid("weird-name") && !GraphQLNaming.isValid(""))
        #expect(ProjectGenerator.quoted("A book, by its \"ISBN\"\n\u{7F}") == #""A book, by its \"ISBN\"\n\u007F""#)
        #expect(ProjectGenerator.scalar("on") == #""on""# && ProjectGenerator.scalar("title") == "title")
        #expect(ProjectGenerator.writtenType("timestamp with time zone") == "timestamptz")
        #expect(ProjectGenerator.writtenType("character varying(80)") == "varchar(80)")
        #expect(ProjectGenerator.writtenType("numeric(14,2)") == "numeric(14,2)")
        #expect(ProjectGenerator.writtenType("mpaa_rating") == nil && ProjectGenerator.writtenType("jsonb[]") == nil)
        #expect(ProjectGenerator.writtenType("character varying(20)[]") == "varchar(20)[]")
    }
}
