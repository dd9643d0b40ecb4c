import Foundation
import GraphQLTypeSystem
import NIOCore
@testable import Server
import Testing

/// `<table>_stream`: the rows after a cursor, in batches and in order, then new rows as they
/// commit — the subscriber's tenant's only.
@Suite("Stream subscriptions")
struct StreamSubscriptionTests {
    static let acmeProject = "11000000-0000-4000-8000-000000000001"
    static let globex = "00000000-0000-4000-8000-000000000002"
    static let globexProject = "21000000-0000-4000-8000-000000000001"

    static func insertTask(_ test: GraphQLTestServer, title: String, tenant: String = GraphQLTestServer.acme, project: String = acmeProject) async throws {
        _ = try await test.database.rows("""
            INSERT INTO public.tasks (id, tenant_id, project_id, title, status)
            VALUES (gen_random_uuid(), \(tenant)::uuid, \(project)::uuid, \(title), 'todo')
            """)
    }

    /// The rows of a `next` message's one root field.
    static func rows(in text: String) -> [JSONValue]? {
        guard case .object(let message)? = try? JSONValue.parse(text),
              case .object(let payload)? = message.first(where: { $0.0 == "payload" })?.1,
              case .object(let data)? = payload.first(where: { $0.0 == "data" })?.1,
              case .array(let rows)? = data.first?.1 else { return nil }
        return rows
    }

    /// The rows of the next `count` messages, or of those that came within `seconds`.
    static func messages(_ socket: SocketCapTests.Client, count: Int, within seconds: Int) async -> [[JSONValue]] {
        var messages: [[JSONValue]] = []
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline, messages.count < count {
            messages += SocketMessageRateTests.texts(await socket.connection.readBytes()).compactMap(rows(in:))
        }
        return messages
    }

    /// The titles of each of the next `count` batches, or of those that came within `seconds`.
    static func batches(_ socket: SocketCapTests.Client, count: Int, within seconds: Int = 20) async -> [[String]] {
        await messages(socket, count: count, within: seconds).map { rows in
            rows.compactMap { row in
                guard case .object(let fields) = row, case .string(let title)? = fields.first?.1 else { return nil }
                return title
            }
        }
    }

    /// A graphql-transport-ws connection, acknowledged, that has sent `payload` as subscription "s".
    static func subscribe(port: Int, token: String, payload: String) async throws -> SocketCapTests.Client {
        let (socket, _) = try await SocketCapTests.Client.open(port: port, timeout: 1)
        socket.sendText(#"{"type":"connection_init","payload":{"Authorization":"Bearer \#(token)"}}"#)
        // Subscribing before the acknowledgement would be refused (4401): wait for it, however slow
        // (the whole suite in parallel on two cores once took over 20 s).
        let ack = await SocketMessageRateTests.nextTexts(socket, count: 1, within: 90)
        try #require(ack == [#"{"type":"connection_ack"}"#], "\(ack)")
        socket.sendText(#"{"id":"s","type":"subscribe","payload":"# + payload + "}")
        return socket
    }

    @Test("batches of two after the cursor, in order; then a new row of the tenant, and never another tenant's")
    func stream() async throws {
        let test = try await GraphQLTestServer.start(sockets: SocketSettings(initTimeout: .seconds(120), liveRefreshInterval: .milliseconds(10)), live: true)
        for number in 1...5 { try await Self.insertTask(test, title: "Stream \(number)") }
        try await Self.insertTask(test, title: "Other")
        let token = try await GraphQLTestServer.memberToken()
        try await test.serving { client in
            let query = #"subscription($start: String!) { tasks_stream(batch_size: 2, cursor: {initial_value: {title: $start}, ordering: ASC}, where: {title: {_like: \"Stream%\"}}) { title } }"#
            let socket = try await Self.subscribe(port: try #require(client.port), token: token,
                                                  payload: #"{"query":"\#(query)","variables":{"start":"Stream 0"}}"#)
            let first = await Self.batches(socket, count: 3)
            #expect(first == [["Stream 1", "Stream 2"], ["Stream 3", "Stream 4"], ["Stream 5"]])

            try await Self.insertTask(test, title: "Stream 7", tenant: Self.globex, project: Self.globexProject)
            try await Self.insertTask(test, title: "Stream 6")
            try await Self.insertTask(test, title: "Other 2")
            let next = await Self.batches(socket, count: 1) + Self.batches(socket, count: 1, within: 2)
            #expect(next == [["Stream 6"]], "the new row of the subscriber's tenant, once; another tenant's never")
        }
    }

    @Test("a stream with no rows yet answers an empty first batch, then its rows as they come, descending below the cursor")
    func emptyThenRows() async throws {
        let test = try await GraphQLTestServer.start(sockets: SocketSettings(initTimeout: .seconds(120), liveRefreshInterval: .milliseconds(10)), live: true)
        let token = try await GraphQLTestServer.memberToken()
        try await test.serving { client in
            let query = #"subscription { tasks_stream(batch_size: 10, cursor: {initial_value: {title: \"B\"}, ordering: DESC}) { title } }"#
            let socket = try await Self.subscribe(port: try #require(client.port), token: token, payload: #"{"query":"\#(query)"}"#)
            #expect(await Self.batches(socket, count: 1) == [[]])
            try await Self.insertTask(test, title: "Apex")
            try await Self.insertTask(test, title: "Zenith")
            #expect(await Self.batches(socket, count: 1) + Self.batches(socket, count: 1, within: 2) == [["Apex"]],
                    "only titles below the cursor, descending")
        }
    }

    @Test("a subscription whose answer needs no database (its one field skipped) answers once and completes")
    func constant() async throws {
        let test = try await GraphQLTestServer.start(live: true)
        let token = try await GraphQLTestServer.memberToken()
        try await test.serving { client in
            let socket = try await Self.subscribe(port: try #require(client.port), token: token, payload: #"{"query":"subscription($on: Boolean!) { tasks @include(if: $on) { id } }","variables":{"on":false}}"#)
            let texts = await SocketMessageRateTests.nextTexts(socket, count: 2)
            #expect(texts == [#"{"id":"s","type":"next","payload":{"data":{}}}"#, #"{"id":"s","type":"complete"}"#])
            socket.sendText(#"{"type":"ping"}"#)
            #expect(await SocketMessageRateTests.nextTexts(socket, count: 1) == [#"{"type":"pong"}"#], "the connection stays open")
        }
    }
}
