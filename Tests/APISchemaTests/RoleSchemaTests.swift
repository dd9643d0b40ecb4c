import Foundation
import GraphQLTypeSystem
import SchemaModel
import Testing
@testable import APISchema

@Suite("Role schemas")
struct RoleSchemaTests {
    static let project: SchemaProject = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schema").path
        return try! SchemaProject.load(directory: directory, environment: [:])
    }()

    static let member = try! RoleSchema.build(project, role: "member")
    static let admin = try! RoleSchema.build(project, role: "admin")
    static let anonymous = try! RoleSchema.build(project, role: "anonymous")

    /// Field names of an object or input type; nil when the role's schema has no such type.
    func fields(_ schema: RoleSchema, _ type: String) -> Set<String>? {
        switch schema.schema.type(named: type) {
        case .object(let object)?: Set(object.fields.map(\.name))
        case .inputObject(let input)?: Set(input.fields.map(\.name))
        case .enumeration(let enumeration)?: Set(enumeration.values.map(\.name))
        default: nil
        }
    }

    @Test("a member's schema has no field the YAML withholds from members")
    func memberWithheld() throws {
        let schema = Self.member
        let queries = try #require(fields(schema, "query_root"))
        let mutations = try #require(fields(schema, "mutation_root"))
        // Aggregates members are not given.
        for field in ["wallets_aggregate", "transactions_aggregate", "notifications_aggregate", "tenants_aggregate"] {
            #expect(!queries.contains(field), "query_root.\(field)")
        }
        // The money holds, SQL functions exposed as mutations, with their arguments typed.
        #expect(mutations.isSuperset(of: ["hold_money", "confirm_hold", "release_hold"]))
        #expect(try #require(fields(schema, "hold_money_args")) == ["wallet_id", "amount", "ttl_seconds", "task_id", "memo"])
        // Writes members may not make.
        for field in ["insert_users", "update_users", "delete_users", "insert_projects", "delete_tasks", "delete_tasks_by_pk",
                      "insert_wallets", "update_wallets", "insert_transactions", "insert_notifications", "delete_notifications",
                      "update_tenants", "insert_entity_history"] {
            #expect(!mutations.contains(field), "mutation_root.\(field)")
        }
        // Columns withheld from reads: tenant keys, emails, idempotency keys.
        #expect(try #require(fields(schema, "users")).isDisjoint(with: ["email", "tenant_id"]))
        #expect(try #require(fields(schema, "tasks")).isDisjoint(with: ["tenant_id"]))
        #expect(try #require(fields(schema, "notifications")).isDisjoint(with: ["idempotency_key", "tenant_id"]))
        #expect(try #require(fields(schema, "users_bool_exp")).isDisjoint(with: ["email", "tenant_id"]))
        #expect(try #require(fields(schema, "users_select_column")).isDisjoint(with: ["email", "tenant_id"]))
        // Writes: no tenant, no presets, only the permitted columns.
        // A comment may be inserted with a new task (members insert tasks), not with a new author.
        #expect(try #require(fields(schema, "comments_insert_input")) == ["task_id", "body", "task"])
        #expect(try #require(fields(schema, "tasks_set_input")) == ["assignee_id", "title", "status", "due_on", "estimate_hours"])
        #expect(try #require(fields(schema, "notifications_set_input")) == ["read_at"])
        // Relationships to tables the member cannot read are absent; to readable ones present.
        #expect(try #require(fields(schema, "users")).isSuperset(of: ["assigned_tasks", "assigned_tasks_aggregate", "wallets", "tenant"]))
        // History: the timeline of tasks, projects and comments, without the tenant.
        #expect(try #require(fields(schema, "entity_history")).isDisjoint(with: ["tenant_id"]))
        // Upserts need update permission: members update tasks, so they may upsert them; comments too.
        #expect(try #require(fields(schema, "tasks_insert_input")).isSuperset(of: ["project_id", "title"]))
        #expect(fields(schema, "tasks_on_conflict") != nil)
        #expect(fields(schema, "tasks_constraint") == ["tasks_pkey"])
    }

    @Test("an admin sees every table with aggregates, and Hasura's generated names")
    func admin() throws {
        let queries = try #require(fields(Self.admin, "query_root"))
        for table in Self.project.tables {
            let expected = [table.name, "\(table.name)_by_pk"]
                + (table.permissions["admin"]?.select?.allowsAggregates == true ? ["\(table.name)_aggregate"] : [])
            #expect(queries.isSuperset(of: expected), "\(table.name)")
        }
        let mutations = try #require(fields(Self.admin, "mutation_root"))
        #expect(mutations.isSuperset(of: ["insert_tasks", "insert_tasks_one", "update_tasks", "update_tasks_by_pk",
                                          "update_tasks_many", "delete_tasks", "delete_tasks_by_pk"]))
        #expect(try #require(fields(Self.admin, "tasks_aggregate_fields"))
            == ["count", "avg", "max", "min", "stddev", "sum", "variance"])
        #expect(try #require(fields(Self.admin, "String_comparison_exp")).isSuperset(of: ["_like", "_nlike", "_ilike", "_nilike", "_regex", "_iregex"]))
        #expect(try #require(fields(Self.admin, "jsonb_comparison_exp")).isSuperset(of: ["_contains", "_has_key"]))
        #expect(try #require(fields(Self.admin, "order_by"))
            == ["asc", "asc_nulls_first", "asc_nulls_last", "desc", "desc_nulls_first", "desc_nulls_last"])
        #expect(try #require(fields(Self.admin, "users_constraint")) == ["users_pkey", "users_tenant_email_key"])
        #expect(try #require(fields(Self.admin, "tasks_insert_input")).isSuperset(of: ["comments", "project", "assignee"]))
        if case .scalar(let uuid)? = Self.admin.schema.type(named: "uuid") {
            #expect(uuid.specifiedByURL == "https://www.rfc-editor.org/rfc/rfc9562")
        } else {
            Issue.record("uuid is not a scalar")
        }
    }

    @Test("the anonymous role reads project names only, and may not introspect")
    func anonymous() throws {
        #expect(try #require(fields(Self.anonymous, "query_root")) == ["projects", "projects_by_pk"])
        #expect(try #require(fields(Self.anonymous, "projects")) == ["id", "name"])
        #expect(fields(Self.anonymous, "mutation_root") == nil)
        #expect(!Self.anonymous.allowsIntrospection && Self.member.allowsIntrospection)
    }
}
