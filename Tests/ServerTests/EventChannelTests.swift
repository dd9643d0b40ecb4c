import Foundation
import GraphQLTypeSystem
import Logging
import PostgresNIO
import NIOCore
@testable import Server
import Testing

/// `change_events`: the tenant's change events in order, only rows the role may see and columns
/// it may read; `after` resumes with no gap and no duplicate.
@Suite("Event channels")
struct EventChannelTests {
    static let adaWallet = "14000000-0000-4000-8000-000000000001"
    static let alanWallet = "14000000-0000-4000-8000-000000000002"
    static let task = "12000000-0000-4000-8000-0000000000ee"
    static let globexTask = "22000000-0000-4000-8000-0000000000ee"

    /// The events of the next messages, as their fields, until `count` or `seconds` have passed.
    static func events(_ socket: SocketCapTests.Client, count: Int, within seconds: Int = 20) async -> [[String: JSONValue]] {
        var events: [[String: JSONValue]] = []
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline, events.count < count {
            for rows in await StreamSubscriptionTests.messages(socket, count: 1, within: 1) {
                for case .object(let fields) in rows { events.append(Dictionary(fields, uniquingKeysWith: { $1 })) }
            }
        }
        return events
    }

    /// An Acme task titled `title`.
    static func insert(_ id: String, _ title: String) -> PostgresQuery {
        """
        INSERT INTO public.tasks (id, tenant_id, project_id, title, status)
        VALUES (\(id)::uuid, \(GraphQLTestServer.acme)::uuid, '11000000-0000-4000-8000-000000000001', \(title), 'todo')
        """
    }

    static let query = #"subscription($after: String) { change_events(tables: [\"tasks\", \"wallets\"], after: $after) { id table op new old } }"#

    @Test("writes of both tenants and two users: the subscriber gets its tenant's events it may see, in order, columns cut to its permission; after resumes")
    func channel() async throws {
        let test = try await GraphQLTestServer.start(sockets: SocketSettings(initTimeout: .seconds(120), liveRefreshInterval: .milliseconds(10)), live: true)
        let token = try await GraphQLTestServer.memberToken()
        try await test.serving { client in
            let port = try #require(client.port)
            let socket = try await StreamSubscriptionTests.subscribe(port: port, token: token, payload: #"{"query":"\#(Self.query)"}"#)
            #expect(await StreamSubscriptionTests.messages(socket, count: 1, within: 20) == [[]], "from now on: nothing yet")

            let db = test.database
            _ = try await db.rows("""
                INSERT INTO public.tasks (id, tenant_id, project_id, title, status)
                VALUES (\(Self.task)::uuid, \(GraphQLTestServer.acme)::uuid, '11000000-0000-4000-8000-000000000001', 'Watched', 'todo')
                """)
            _ = try await db.rows("""
                INSERT INTO public.tasks (id, tenant_id, project_id, title, status)
                VALUES (\(Self.globexTask)::uuid, \(StreamSubscriptionTests.globex)::uuid, \(StreamSubscriptionTests.globexProject)::uuid, 'Elsewhere', 'todo')
                """)
            _ = try await db.rows("UPDATE public.tasks SET title = 'Watched again' WHERE id = \(Self.task)::uuid")
            _ = try await db.rows("UPDATE public.wallets SET available = available + 1 WHERE id = \(Self.adaWallet)::uuid")
            _ = try await db.rows("UPDATE public.wallets SET available = available + 2 WHERE id = \(Self.alanWallet)::uuid")
            _ = try await db.rows("DELETE FROM public.tasks WHERE id = \(Self.task)::uuid")

            let events = await Self.events(socket, count: 4) + Self.events(socket, count: 1, within: 2)
            let summary = events.map { event -> String in
                guard case .string(let table)? = event["table"], case .string(let op)? = event["op"] else { return "?" }
                return table + " " + op
            }
            #expect(summary == ["tasks insert", "tasks update", "wallets update", "tasks delete"],
                    "the other tenant's task and the other user's wallet are not sent")
            let ids = events.compactMap { event -> Int? in if case .string(let id)? = event["id"] { Int(id) } else { nil } }
            #expect(ids == ids.sorted() && ids.count == 4)
            if case .object(let row)? = events.first?["new"] {
                #expect(row.contains { $0.0 == "title" } && !row.contains { $0.0 == "tenant_id" }, "only the columns the role may read: \(row)")
            } else {
                Issue.record("the insert has no new row")
            }
            #expect(events.first?["old"] == .null && events.last?["new"] == .null)

            // A new connection resuming after the second event gets the rest, once.
            let resumed = try await StreamSubscriptionTests.subscribe(port: port, token: token,
                                                                      payload: #"{"query":"\#(Self.query)","variables":{"after":"\#(ids[1])"}}"#)
            let replay = await Self.events(resumed, count: 2) + Self.events(resumed, count: 1, within: 2)
            #expect(replay.compactMap { event -> Int? in if case .string(let id)? = event["id"] { Int(id) } else { nil } } == Array(ids[2...]))
        }
    }

    /// The event id is drawn before its transaction commits: an event with a smaller id can
    /// commit after a larger one has been sent. The channel waits for the older transaction and
    /// sends its event first, so a cursor never jumps over it.
    @Test("an older transaction committing after a newer one: its event is sent first, never skipped")
    func olderTransactionCommitsLater() async throws {
        let test = try await GraphQLTestServer.start(sockets: SocketSettings(initTimeout: .seconds(120), liveRefreshInterval: .milliseconds(10)), live: true)
        let token = try await GraphQLTestServer.memberToken()
        try await test.serving { client in
            let port = try #require(client.port)
            let socket = try await StreamSubscriptionTests.subscribe(port: port, token: token, payload: #"{"query":"\#(Self.query)"}"#)
            #expect(await StreamSubscriptionTests.messages(socket, count: 1, within: 20) == [[]])
            let older = "12000000-0000-4000-8000-0000000000e1", newer = "12000000-0000-4000-8000-0000000000e2"
            let (opened, open) = AsyncStream<Void>.makeStream()
            let (committing, commit) = AsyncStream<Void>.makeStream()
            async let olderTransaction: Void = test.database.withConnection { connection in
                let logger = Logger(label: "strata.test")
                try await connection.query("BEGIN", logger: logger)
                try await connection.query(Self.insert(older, "Older"), logger: logger)
                open.yield()
                for await _ in committing { break }
                try await connection.query("COMMIT", logger: logger)
            }
            for await _ in opened { break }
            _ = try await test.database.rows(Self.insert(newer, "Newer"))
            let early = await Self.events(socket, count: 1, within: 2)
            #expect(early.isEmpty, "the newer event waits for the older transaction: \(early)")
            commit.yield()
            try await olderTransaction
            let events = await Self.events(socket, count: 2) + Self.events(socket, count: 1, within: 1)
            let titles = events.map { event -> String in
                if case .object(let row)? = event["new"], case .string(let title)? = row.first(where: { $0.0 == "title" })?.1 { title } else { "?" }
            }
            #expect(titles == ["Older", "Newer"])
            let ids = events.compactMap { event -> Int? in if case .string(let id)? = event["id"] { Int(id) } else { nil } }
            #expect(ids.count == 2 && ids[0] < ids[1], "the older transaction drew the smaller id: \(ids)")
        }
    }

    /// "From now on" while an older transaction runs: a write committed before the subscription
    /// is not settled yet (it waits for the older one), but it is not news either.
    @Test("without after: an event committed before the subscription is never sent, even while an older transaction holds it unsettled")
    func startsNow() async throws {
        let test = try await GraphQLTestServer.start(sockets: SocketSettings(initTimeout: .seconds(120), liveRefreshInterval: .milliseconds(10)), live: true)
        let token = try await GraphQLTestServer.memberToken()
        try await test.serving { client in
            let port = try #require(client.port)
            let (opened, open) = AsyncStream<Void>.makeStream()
            let (ending, end) = AsyncStream<Void>.makeStream()
            async let olderTransaction: Void = test.database.withConnection { connection in
                let logger = Logger(label: "strata.test")
                try await connection.query("BEGIN", logger: logger)
                try await connection.query("SELECT pg_current_xact_id()", logger: logger)
                open.yield()
                for await _ in ending { break }
                try await connection.query("COMMIT", logger: logger)
            }
            for await _ in opened { break }
            _ = try await test.database.rows(Self.insert("12000000-0000-4000-8000-0000000000e3", "Before"))
            let socket = try await StreamSubscriptionTests.subscribe(port: port, token: token, payload: #"{"query":"\#(Self.query)"}"#)
            #expect(await StreamSubscriptionTests.messages(socket, count: 1, within: 20) == [[]])
            end.yield()
            try await olderTransaction
            _ = try await test.database.rows(Self.insert("12000000-0000-4000-8000-0000000000e4", "After"))
            let events = await Self.events(socket, count: 1) + Self.events(socket, count: 1, within: 2)
            let titles = events.map { event -> String in
                if case .object(let row)? = event["new"], case .string(let title)? = row.first(where: { $0.0 == "title" })?.1 { title } else { "?" }
            }
            #expect(titles == ["After"], "committed before the subscription: not sent")
        }
    }

    @Test("an admin follows money.hold.expired, its own tenant's only, payload whole; a member may not follow it")
    func domainEvents() async throws {
        let test = try await GraphQLTestServer.start(sockets: SocketSettings(initTimeout: .seconds(120), liveRefreshInterval: .milliseconds(10)), live: true)
        let admin = try await GraphQLTestServer.token([("role", .string("admin")), ("tenant_id", .string(GraphQLTestServer.acme)),
                                                       ("sub", .string("10000000-0000-4000-8000-000000000001")),
                                                       ("exp", .number(String(Int(Date().timeIntervalSince1970) + 600)))])
        let member = try await GraphQLTestServer.memberToken()
        let query = #"subscription { change_events(tables: [], types: [\"money.hold.expired\"]) { table op new } }"#
        try await test.serving { client in
            let port = try #require(client.port)
            let socket = try await StreamSubscriptionTests.subscribe(port: port, token: admin, payload: #"{"query":"\#(query)"}"#)
            let first = await SocketMessageRateTests.nextTexts(socket, count: 1)
            #expect(first == [#"{"id":"s","type":"next","payload":{"data":{"change_events":[]}}}"#])
            for (tenant, amount) in [(StreamSubscriptionTests.globex, 7), (GraphQLTestServer.acme, 5)] {
                _ = try await test.database.rows("""
                    SELECT set_config('app.tenant_id', \(tenant), false), strata.emit('money.hold.expired', jsonb_build_object('amount', \(amount)))
                    """)
            }
            let events = await Self.events(socket, count: 1) + Self.events(socket, count: 1, within: 2)
            #expect(events == [["table": .string("money.hold.expired"), "op": .string("event"), "new": .object([("amount", .number("5"))])]],
                    "the admin's tenant's event only")

            let refused = try await StreamSubscriptionTests.subscribe(port: port, token: member, payload: #"{"query":"\#(query)"}"#)
            let texts = await SocketMessageRateTests.nextTexts(refused, count: 1)
            #expect(texts.first?.contains("'money.hold.expired' is not a domain event this role may follow") == true, "\(texts)")
        }
    }
}
