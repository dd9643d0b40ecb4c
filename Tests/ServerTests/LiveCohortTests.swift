import Database
import Foundation
import GraphQLTypeSystem
import Logging
import NIOCore
import NIOPosix
import Planner
@testable import Server
import Synchronization
import Testing
import TestSupport

/// Live queries in cohorts: subscribers of one plan in one role and tenant are refreshed by one
/// statement carrying each one's variables and session values, and each gets exactly what the
/// same query over HTTP with the same token returns.
@Suite("Live query cohorts")
struct LiveCohortTests {
    static let ada = "10000000-0000-4000-8000-000000000001"
    static let tasks = ["12000000-0000-4000-8000-000000000001", "12000000-0000-4000-8000-000000000002"]

    static let wallets = "subscription W($c: String) { wallets(where: {currency: {_eq: $c}}) { user_id currency available } }"
    static let tasksByID = """
        subscription T($ids: [uuid!]) {
          tasks(where: {id: {_in: $ids}}, order_by: {title: asc}) { title assignee_id project { name } }
        }
        """

    /// Who subscribes to what.
    struct Member: Sendable {
        let name: String
        let user: String
        let query: String
        let variables: [String: JSONValue]
    }

    static let members = [
        Member(name: "ada USD wallets", user: ada, query: wallets, variables: ["c": .string("USD")]),
        Member(name: "alan USD wallets", user: GraphQLTestServer.alan, query: wallets, variables: ["c": .string("USD")]),
        Member(name: "alan EUR wallets", user: GraphQLTestServer.alan, query: wallets, variables: ["c": .string("EUR")]),
        Member(name: "ada first task", user: ada, query: tasksByID, variables: ["ids": .array([.string(tasks[0])])]),
        Member(name: "alan both tasks", user: GraphQLTestServer.alan, query: tasksByID, variables: ["ids": .array(tasks.map(JSONValue.string))]),
        Member(name: "alan no tasks", user: GraphQLTestServer.alan, query: tasksByID, variables: ["ids": .array([])]),
    ]

    @Test("six subscribers of two plans, two users: two cohorts, one statement per refresh, each result equal to the query over HTTP")
    func cohortsMatchHTTP() async throws {
        let test = try await GraphQLTestServer.start()
        let logger = Logger(label: "strata.test")
        let hub = SubscriptionHub(endpoint: test.database.endpoint(), logger: logger)
        let service = SocketService(executor: test.executor, authenticator: test.authenticator, hub: hub,
                                    settings: SocketSettings(initTimeout: .seconds(120), liveRefreshInterval: .milliseconds(10)))
        let listening = Task { try await hub.run() }
        defer { listening.cancel() }
        for _ in 0..<200 where !hub.isListening { try await Task.sleep(for: .milliseconds(50)) }
        #expect(hub.isListening)

        let received = Mutex<[String: [String]]>([:])
        var sessions: [String: Session] = [:]
        for member in Self.members {
            let token = try await GraphQLTestServer.token([("role", .string("member")), ("tenant_id", .string(GraphQLTestServer.acme)),
                                                           ("sub", .string(member.user)), ("exp", .number(String(Int(Date().timeIntervalSince1970) + 600)))])
            let session = try await service.authenticate("Bearer \(token)").get().0
            sessions[member.name] = session
            let request = GraphQLRequest(query: member.query, variables: member.variables)
            let outcome = await service.run(id: member.name, request, session: session, address: nil, large: false, cancellation: QueryCancellation())
            guard case .live(let first, let prepared, let seen) = outcome else {
                Issue.record("\(member.name) did not go live: \(outcome)")
                return
            }
            #expect(first == (try await Self.overHTTP(member, session: session, executor: test.executor)), "\(member.name)")
            let name = member.name
            let joined = hub.join(prepared, first: first, seen: seen, service: service, executor: EventLoopExecutor.of(MultiThreadedEventLoopGroup.singleton.next())) { result in
                received.withLock { $0[name, default: []].append(result) }
            }
            #expect(joined != nil)
        }
        #expect(hub.counts.cohorts == 2 && hub.counts.members == 6)

        _ = try await test.database.rows("UPDATE public.wallets SET available = available + 1 WHERE tenant_id = \(GraphQLTestServer.acme)::uuid")
        _ = try await test.database.rows("UPDATE public.tasks SET title = title || ' (again)' WHERE id = \(Self.tasks[0])::uuid")

        let changing = Self.members.filter { !$0.name.hasPrefix("alan EUR") && !$0.name.hasPrefix("alan no") }
        for _ in 0..<200 {
            let done = received.withLock { got in changing.allSatisfy { member in got[member.name]?.last?.contains("(again)") == true || (member.query == Self.wallets && got[member.name] != nil) } }
            if done { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(200))
        let results = received.withLock { $0 }
        for member in changing {
            let last = try #require(results[member.name]?.last, "\(member.name) got no new result")
            #expect(last == (try await Self.overHTTP(member, session: sessions[member.name]!, executor: test.executor)), "\(member.name)")
        }
        #expect(results["alan EUR wallets"] == nil, "an unchanged result is not sent again")
        #expect(results["alan no tasks"] == nil, "an unchanged result is not sent again")
        #expect(results["ada USD wallets"]?.last?.contains(Self.ada) == true)
        #expect(results["ada USD wallets"]?.last?.contains(GraphQLTestServer.alan) == false, "ada sees her own wallet only")
        #expect(results["alan USD wallets"]?.last?.contains(Self.ada) == false, "alan sees his own wallet only")

        let refreshes = hub.counters.refreshes.load(ordering: .relaxed)
        let statements = hub.counters.statements.load(ordering: .relaxed)
        #expect(refreshes >= 2 && refreshes <= 4, "each cohort refreshed once per write: \(refreshes)")
        #expect(statements == refreshes, "one statement per cohort refresh")
        await test.pool.shutdown()
    }

    /// The same operation as a query, run as an HTTP request would run it.
    static func overHTTP(_ member: Member, session: Session, executor: GraphQLExecutor) async throws -> String {
        let query = member.query.replacingOccurrences(of: "subscription ", with: "query ")
        guard case .ready(let prepared) = executor.prepare(GraphQLRequest(query: query, variables: member.variables), session: session),
              case .data(let data) = await executor.run(prepared) else {
            Issue.record("\(member.name) did not run as a query")
            return ""
        }
        return "{\"data\":" + String(buffer: data) + "}"
    }

    @Test("a JSON array is cut into its elements' own text")
    func arrayElements() {
        #expect(JSONArrayElements.split(#"[{"a": [1, "],"]}, null , {"b":"\"{"}]"#) == [#"{"a": [1, "],"]}"#, "null", #"{"b":"\"{"}"#])
        #expect(JSONArrayElements.split("[]") == [])
        #expect(JSONArrayElements.split("{}") == nil)
        #expect(JSONArrayElements.split("[1,,2]") == nil)
        #expect(JSONArrayElements.split("[1, 2") == nil)
    }

    @Test("members' values travel as one JSON array; a list as an array literal PostgreSQL reads back")
    func memberValues() {
        let value = CohortPlan.members([CohortPlan.member([.text("a"), .null, .textArray(["x\"y", "b\\c", ""])]), CohortPlan.member([.textArray([])])])
        #expect(value == .text(#"[["a",null,"{\"x\\\"y\",\"b\\\\c\",\"\"}"],["{}"]]"#))
    }
}
