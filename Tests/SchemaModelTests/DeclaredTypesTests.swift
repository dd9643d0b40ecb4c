import SchemaModel
import Testing

@Suite("types: in strata.yaml")
struct DeclaredTypesTests {
    @Test("enums and domains are read with their labels and base types; columns name them, with or without the schema")
    func reads() throws {
        let settings = try ProjectSettings.parse("""
            types:
              mpaa_rating: { enum: [G, PG, PG-13], as_scalar: true }
              library.format: { enum: [hardcover, ebook] }
              year: { domain: integer }
            """, file: "s.yaml", environment: [:])
        #expect(settings.types["mpaa_rating"]?.labels == ["G", "PG", "PG-13"] && settings.types["mpaa_rating"]?.asScalar == true)
        #expect(settings.types["library.format"]?.graphQLName == "format" && settings.types["library.format"]?.qualifiedName.schema == "library")
        #expect(settings.types["year"]?.kind == .domain(try #require(ColumnType("integer"))))
        let year = ColumnType(declared: try #require(settings.types["year"]))
        #expect(year.category == .integer && year.sqlName == "year")
    }

    @Test("labels that cannot be enum values, a type that is neither or both, repeated labels and taken names are refused where written")
    func refuses() {
        #expect {
            try ProjectSettings.parse("""
                types:
                  rating: { enum: [G, PG-13] }
                  odd: { enum: [a], domain: text }
                  twice: { enum: [a, a] }
                  uuid: { domain: text }
                  pages: { domain: strange }
                """, file: "s.yaml", environment: [:])
        } throws: { error in
            (error as? SchemaErrors)?.errors.map(\.description) == [
                "s.yaml:2:23: enum 'rating': 'PG-13' cannot be a GraphQL enum value; add 'as_scalar: true' to serve the type as a scalar holding the labels",
                "s.yaml:3:3: type 'odd' needs exactly one of 'enum: [labels]' or 'domain: <base type>'",
                "s.yaml:4:22: enum 'twice' lists 'a' twice",
                "s.yaml:5:3: type 'uuid' has the name of a type Strata already serves; it cannot be declared again",
                "s.yaml:6:20: unknown column type 'strange'; Strata knows: " + ColumnType.writtenNames.joined(separator: ", ")
                    + ", and the enums and domains declared under types: in strata.yaml",
            ]
        }
    }
}
