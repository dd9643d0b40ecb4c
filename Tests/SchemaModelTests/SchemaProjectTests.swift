import Foundation
import Testing
@testable import SchemaModel

@Suite("Schema files")
struct SchemaProjectTests {
    static let schemaDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schema").path

    static let settings: ProjectSettings = {
        var settings = ProjectSettings()
        settings.roles = ["anonymous", "member", "admin"].map {
            RoleModel(name: $0, position: SourcePosition(file: "strata.yaml", line: 1, column: 1))
        }
        return settings
    }()

    func load(_ files: [String: String]) throws -> SchemaProject {
        try SchemaProject.parse(settings: Self.settings, files: files.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    func errors(_ files: [String: String]) -> [String] {
        Self.messages { _ = try load(files) }
    }

    /// The schema errors `load` throws, as an author reads them; none when it loads.
    static func messages(_ load: () throws -> Void) -> [String] {
        do {
            try load()
            return []
        } catch let failure as SchemaErrors {
            return failure.errors.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test("the demo schema loads: tables, relationships, computed fields and permissions")
    func demo() throws {
        let project = try SchemaProject.load(directory: Self.schemaDirectory, environment: [:])
        #expect(project.tables.map(\.name) == ["comments", "entity_history", "notifications", "projects", "tasks", "tenants",
                                               "transactions", "users", "wallets"])
        #expect(project.roleNames == ["anonymous", "member", "admin"])
        #expect(project.settings.auth.anonymousRole == "anonymous")
        let tasks = try #require(project.table(named: "tasks"))
        #expect(tasks.tenantColumn == "tenant_id")
        #expect(tasks.column(named: "reward")?.type.sqlName == "numeric(14,2)")
        #expect(tasks.column(named: "due_on")?.isNullable == true)
        #expect(tasks.relationship(named: "comments")?.kind == .array)
        #expect(tasks.relationship(named: "project")?.columnMapping.map { "\($0.source)->\($0.target)" } == ["project_id->id"])
        #expect(tasks.computedFields.map(\.name) == ["is_overdue"])
        let member = try #require(tasks.permissions["member"])
        #expect(member.select?.columns.contains("tenant_id") == false)
        #expect(member.update?.filter == .or([
            .column("assignee_id", [Comparison(op: .eq, value: .session(.userID))]),
            .column("assignee_id", [Comparison(op: .isNull, value: .boolean(true))]),
        ]))
        #expect(member.delete == nil)
        let transactions = try #require(project.table(named: "transactions"))
        #expect(transactions.permissions["member"]?.select?.filter
            == .relationship("wallet", .column("user_id", [Comparison(op: .eq, value: .session(.userID))])))
    }

    @Test("PostgreSQL names GraphQL cannot take: quoted table names and columns mapped with column:")
    func mappedNames() throws {
        let contacts = """
            table: 'crm."Contact-List"'
            name: contacts
            primary_key: [id]
            columns:
              id: integer
              first_name: { column: First Name, type: text }
              quoted: { column: 'say "hi"', type: text }
            """
        let table = try #require(try load(["schema/tables/contacts.yaml": contacts]).table(named: "contacts"))
        #expect(table.schema == "crm" && table.table == "Contact-List")
        #expect(table.columns.map { "\($0.name)=\($0.sqlName)" } == ["id=id", "first_name=First Name", "quoted=say \"hi\""])
        #expect(table.quotedName == #"crm."Contact-List""#)
        #expect(SchemaModel.TableFile.sqlNameParts(#""a.b"."c""d""#) == ["a.b", #"c"d"#])
        for wrong in [#"crm."unclosed"#, "a..b", #"a"b"#, #""x"y"#, "a.b.c"] {
            let file = "table: '\(wrong.replacingOccurrences(of: "'", with: "''"))'\nname: t\nprimary_key: [id]\ncolumns:\n  id: integer\n"
            #expect(errors(["schema/tables/t.yaml": file]).first?.contains("is not a table name") == true, "\(wrong)")
        }
        #expect(errors(["schema/tables/t.yaml": "table: public.\"My Table\"\nprimary_key: [id]\ncolumns:\n  id: integer\n"])
            == [#"schema/tables/t.yaml:1:8: 'My Table' cannot be the table's API name (give it one with 'name:'): GraphQL names are letters, digits and '_', not starting with a digit or '__'"#])
        #expect(errors(["schema/tables/t.yaml": "table: t\nprimary_key: [id]\ncolumns:\n  id: integer\n  First Name: text\n"])
            == [#"schema/tables/t.yaml:5:3: 'First Name' cannot be a column name (map a PostgreSQL name that is not one with 'column:'): GraphQL names are letters, digits and '_', not starting with a digit or '__'"#])
    }

    @Test("every mistake in every file is reported at once, with positions and suggestions")
    func mistakes() {
        let tasks = """
            table: public.tasks
            primary_key: [id]
            tenant_column: tenant_id
            columns:
              id: uuid
              tenant_id: uuid
              title: txt
              assignee_id: { type: uuid, nullable: true }
            relationships:
              assignee:
                object: user
                columns: { assignee_id: id }
            permissions:
              membr:
                select:
                  columns: "*"
              member:
                select:
                  columns: [id, titel]
                  filter:
                    assignee_id: { _like: x }
                insert:
                  columns: [tenant_id]
            """
        let users = """
            table: users
            primary_key: [id]
            columns:
              id: uuid
            """
        #expect(errors(["schema/tables/tasks.yaml": tasks, "schema/tables/users.yaml": users]) == [
            "schema/tables/tasks.yaml:7:10: unknown column type 'txt' (did you mean 'text'?); Strata knows: "
                + ColumnType.writtenNames.joined(separator: ", ") + ", and the enums and domains declared under types: in strata.yaml",
            "schema/tables/tasks.yaml:11:13: relationship 'assignee' refers to unknown table 'user' (did you mean 'users'?)",
            "schema/tables/tasks.yaml:14:3: permissions for unknown role 'membr' (did you mean 'member'?); "
                + "declare it under 'roles:' in strata.yaml (known: anonymous, member, admin)",
            "schema/tables/tasks.yaml:19:21: the select permission of 'member' on 'tasks' names unknown column 'titel'",
            "schema/tables/tasks.yaml:21:24: '_like' is not an operator for column 'assignee_id' (uuid); "
                + "expected one of: _eq, _neq, _in, _nin, _is_null, _gt, _gte, _lt, _lte",
            "schema/tables/tasks.yaml:23:7: role 'member' may not insert 'tenant_id' of 'tasks': the tenant comes from the session; "
                + "remove it from columns",
        ])
    }

    @Test("session values, literals and lists in filters and presets")
    func values() throws {
        let project = try load(["t.yaml": """
            table: things
            primary_key: [id]
            columns:
              id: bigint
              owner: uuid
              state: text
            permissions:
              member:
                select:
                  columns: "*"
                  filter:
                    _and:
                      - owner: { _eq: $session.claims.org.owner }
                      - state: { _in: [open, "closed", 3] }
                      - _not: { id: { _gt: 10 } }
                insert:
                  columns: [state]
                  presets: { owner: $session.user_id }
            """])
        let member = try #require(project.tables.first?.permissions["member"])
        #expect(member.select?.filter == .and([
            .column("owner", [Comparison(op: .eq, value: .session(.claim("org.owner")))]),
            .column("state", [Comparison(op: .in, value: .list([.string("open"), .string("closed"), .number("3")]))]),
            .not(.column("id", [Comparison(op: .gt, value: .number("10"))])),
        ]))
        #expect(member.insert?.presets == ["owner": .session(.userID)])
    }
}
