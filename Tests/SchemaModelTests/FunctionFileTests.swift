import Testing
@testable import SchemaModel

/// `schema/functions/*.yaml`: SQL functions exposed as root fields.
@Suite("Function files")
struct FunctionFileTests {
    static let wallets = """
        table: wallets
        primary_key: [id]
        columns:
          id: uuid
        """

    func load(_ function: String) throws -> SchemaProject {
        try SchemaProject.parse(settings: SchemaProjectTests.settings, files: [("schema/tables/wallets.yaml", Self.wallets)],
                                functionFiles: [("schema/functions/f.yaml", function)])
    }

    @Test("a function's name, table, exposure, arguments in order and roles")
    func reads() throws {
        let project = try load("""
            function: public.hold_money
            returns: wallets
            exposed_as: mutation
            arguments:
              wallet_id: uuid
              ttl_seconds: { type: integer, nullable: true }
            roles: [member]
            """)
        let function = try #require(project.functions.first)
        #expect(function.name == "hold_money" && function.qualifiedName == "public.hold_money" && function.returns == "wallets")
        #expect(function.exposedAs == .mutation)
        #expect(function.arguments.map(\.name) == ["wallet_id", "ttl_seconds"])
        #expect(function.arguments.map(\.isNullable) == [false, true])
        #expect(function.roles == ["member"])
    }

    @Test("mistakes in a function file, each at its place")
    func mistakes() {
        let errors = SchemaProjectTests.messages {
            _ = try load("""
                function: public.hold_money
                returns: wallet
                exposed_as: mutaton
                roles: [membr]
                """)
        }
        #expect(errors == [
            "schema/functions/f.yaml:2:10: function 'hold_money' returns rows of 'wallet', which no table file describes (did you mean 'wallets'?)",
            "schema/functions/f.yaml:3:13: 'exposed_as' is 'mutation' (a VOLATILE function) or 'query' (a STABLE one), not 'mutaton'",
        ])
        let clash = SchemaProjectTests.messages {
            _ = try load("function: wallets_by_pk\nreturns: wallets\nexposed_as: query\n")
        }
        #expect(clash == ["schema/functions/f.yaml:1:11: function 'wallets_by_pk' has the API name of a field of table 'wallets'; give it another 'name:'"])
    }
}
