import APISchema
import GraphQLLanguage
import Planner
import SchemaModel
import Testing

/// A subscription plans as the same query would, and says which tables it reads — all of them,
/// through relationships, aggregates and filters — so a change to any refreshes it.
@Suite("Subscription plans")
struct SubscriptionPlanTests {
    func plan(_ text: String) throws -> QueryPlan {
        try GoldenCase(name: "subscription", text: text, role: "member", tenant: "t", user: "u", variables: [:], operationName: nil).plan()
    }

    @Test("a subscription's statement is its query's; its read tables include every relationship, aggregate and filter")
    func readTables() throws {
        let query = "{ tasks(where: {project: {name: {_eq: \"P\"}}}) { title assignee { name } comments_aggregate { aggregate { count } } } }"
        let subscription = try plan("subscription " + query)
        #expect(subscription.sql == (try plan("query " + query)).sql)
        #expect(subscription.readTables == ["tasks", "projects", "users", "comments"])
        #expect(try plan("subscription { tasks_by_pk(id: \"12000000-0000-4000-8000-000000000001\") { title } }").readTables == ["tasks"])
    }

    @Test("a table whose writes are not all captured offers no subscription field; a subscription reading one through a relationship is refused, naming it")
    func uncaptured() throws {
        var project = try #require(DemoAPI.project)
        for index in project.tables.indices where project.tables[index].name == "projects" {
            project.tables[index].events = [.insert]
        }
        let api = try RoleSchema.build(project, role: "member")
        let subscriptionRoot = try #require(api.schema.rootType(for: .subscription))
        #expect(!subscriptionRoot.fields.contains { $0.name == "projects" })
        #expect(subscriptionRoot.fields.contains { $0.name == "tasks" })
        let document = try Parser.parse(Source("subscription { tasks { title project { name } } }"))
        do {
            _ = try OperationPlanner.plan(document, operationName: nil, api: api, variables: [:])
            Issue.record("a subscription reading an uncaptured table was planned")
        } catch {
            #expect(error.errors.first?.message.contains("reads 'projects', whose writes are not all captured") == true, "\(error)")
        }
    }

    func refusal(_ text: String) -> String? {
        do {
            _ = try plan(text)
            return nil
        } catch {
            return (error as? GraphQLErrors)?.errors.first?.message ?? "\(error)"
        }
    }

    @Test("streams and event channels refuse what cannot run: a batch below one, two cursor columns, an unknown or empty table list, an id that is not one")
    func refusals() throws {
        #expect(refusal("subscription { tasks_stream(batch_size: 0, cursor: {initial_value: {title: \"a\"}}) { title } }")?.contains("\"batch_size\" must be a positive number") == true)
        #expect(refusal("subscription { tasks_stream(batch_size: 5, cursor: {initial_value: {title: \"a\", status: \"b\"}}) { title } }")?
            .contains("exactly one column") == true)
        #expect(refusal("subscription { change_events(tables: [\"tenants\"]) { id } }")?.contains("'tenants' is not a table this role may follow") == true)
        #expect(refusal("subscription { change_events(tables: []) { id } }")?.contains("must name at least one table") == true)
        #expect(refusal("subscription { change_events(after: \"12x\") { id } }")?.contains("\"after\" must be the id of an event") == true)
        let stream = try plan("subscription { tasks_stream(batch_size: 5000, cursor: {initial_value: {created_at: \"2026-01-01\"}, ordering: DESC}) { title } }")
        #expect(stream.stream?.batchSize == 500, "a batch holds no more than the role's row limit")
        #expect(stream.stream?.initialCursor == "2026-01-01")
        #expect(stream.cohort == nil && stream.readTables == ["tasks"])
        let channel = try plan("subscription { change_events(tables: [\"tasks\", \"tasks\"]) { id } }")
        #expect(channel.readTables == ["tasks"] && channel.stream?.initialCursor == nil)
    }
}
