import GraphQLLanguage
import Planner
@testable import Server
import Testing

/// Both GraphQL WebSocket protocols, message by message, without a socket: what the server
/// sends, runs and closes with for each thing a client (or the clock) does.
@Suite("GraphQL WebSocket protocol")
struct SocketMachineTests {
    let member = Session(role: "member", tenantID: "t1", userID: "u1")

    func machine(_ dialect: SocketDialect, upgradeAuthorization: String? = nil) -> SocketMachine {
        SocketMachine(dialect: dialect, upgradeAuthorization: upgradeAuthorization)
    }

    /// A machine past `connection_init` and its ack.
    func ready(_ dialect: SocketDialect) -> SocketMachine {
        var machine = machine(dialect)
        _ = machine.receive(.text(Array(#"{"type":"connection_init"}"#.utf8)))
        _ = machine.receive(.authenticated(member))
        return machine
    }

    func text(_ json: String) -> SocketMachine.Input { .text(Array(json.utf8)) }

    @Test("graphql-transport-ws: init is acknowledged once the token verifies; the token comes from the payload, its headers, or the upgrade")
    func transportInit() {
        var machine = machine(.transport, upgradeAuthorization: "Bearer upgrade")
        #expect(machine.receive(text(#"{"type":"connection_init","payload":{"Authorization":"Bearer a"}}"#)) == [.authenticate("Bearer a")])
        #expect(machine.receive(.authenticated(member)) == [.send(#"{"type":"connection_ack"}"#)])
        var apollo = self.machine(.transport)
        #expect(apollo.receive(text(#"{"type":"connection_init","payload":{"headers":{"authorization":"Bearer h"}}}"#)) == [.authenticate("Bearer h")])
        var bare = self.machine(.transport, upgradeAuthorization: "Bearer upgrade")
        #expect(bare.receive(text(#"{"type":"connection_init"}"#)) == [.authenticate("Bearer upgrade")])
        var none = self.machine(.transport)
        #expect(none.receive(text(#"{"type":"connection_init","payload":null}"#)) == [.authenticate(nil)])
    }

    @Test("graphql-transport-ws close codes: 4400, 4401, 4403, 4408, 4409, 4429")
    func transportCloseCodes() {
        var invalid = machine(.transport)
        #expect(invalid.receive(text("{nope")) == [.close(.invalidMessage, "Invalid message received: not JSON")])
        #expect(invalid.receive(text(#"{"type":"connection_init"}"#)) == [], "nothing after the close")
        var unknown = machine(.transport)
        #expect(unknown.receive(text(#"{"type":"start","id":"1","payload":{"query":"{a}"}}"#))
                == [.close(.invalidMessage, "Invalid message received: unknown type")])
        var binary = machine(.transport)
        #expect(binary.receive(.binary) == [.close(.invalidMessage, "Invalid message received: binary")])
        var early = machine(.transport)
        #expect(early.receive(text(#"{"type":"subscribe","id":"1","payload":{"query":"{ a }"}}"#)) == [.close(.unauthorized, "Unauthorized")])
        var forbidden = machine(.transport)
        _ = forbidden.receive(text(#"{"type":"connection_init"}"#))
        #expect(forbidden.receive(.authenticationFailed("The token has expired.")) == [.close(.forbidden, "Forbidden: The token has expired.")])
        var slow = machine(.transport)
        #expect(slow.receive(.initTimeout) == [.close(.initTimeout, "Connection initialisation timeout")])
        var twice = ready(.transport)
        #expect(twice.receive(text(#"{"type":"connection_init"}"#)) == [.close(.tooManyInitRequests, "Too many initialisation requests")])
        var duplicate = ready(.transport)
        let subscribe = text(#"{"type":"subscribe","id":"7","payload":{"query":"{ tasks { id } }"}}"#)
        _ = duplicate.receive(subscribe)
        #expect(duplicate.receive(subscribe) == [.cancel(id: "7"), .close(.duplicateSubscriber, "Subscriber for 7 already exists")])
        var missingID = ready(.transport)
        #expect(missingID.receive(text(#"{"type":"subscribe","payload":{"query":"{ a }"}}"#))
                == [.close(.invalidMessage, "Invalid message received: no \"id\" string")])
        var noQuery = ready(.transport)
        #expect(noQuery.receive(text(#"{"type":"subscribe","id":"1","payload":{"variables":{}}}"#))
                == [.close(.invalidMessage, "Invalid message received: The request has no \"query\" (nor a \"documentId\").")])
    }

    @Test("the init timeout does nothing once connection_init has arrived, even while its token is checked")
    func initTimeoutAfterInit() {
        var machine = machine(.transport)
        _ = machine.receive(text(#"{"type":"connection_init"}"#))
        #expect(machine.receive(.initTimeout) == [])
        #expect(machine.receive(.authenticated(member)) == [.send(#"{"type":"connection_ack"}"#)])
    }

    @Test("graphql-transport-ws: an operation runs under the connection's session; its result is next then complete; a refused one is error")
    func transportOperations() {
        var machine = ready(.transport)
        let actions = machine.receive(text(#"{"type":"subscribe","id":"a\"1","payload":{"query":"{ tasks { id } }","variables":{"n":1}}}"#))
        #expect(actions == [.execute(id: "a\"1", GraphQLRequest(query: "{ tasks { id } }", variables: ["n": .number("1")]), member)])
        #expect(machine.receive(.executed(id: "a\"1", result: #"{"data":{"tasks":[]}}"#))
                == [.send(#"{"id":"a\"1","type":"next","payload":{"data":{"tasks":[]}}}"#), .send(#"{"id":"a\"1","type":"complete"}"#)])
        _ = machine.receive(text(#"{"type":"subscribe","id":"2","payload":{"query":"{ nope }"}}"#))
        #expect(machine.receive(.refused(id: "2", errors: [GraphQLError("Cannot query field \"nope\".")]))
                == [.send(#"{"id":"2","type":"error","payload":[{"message":"Cannot query field \"nope\"."}]}"#)])
        #expect(machine.active.isEmpty)
    }

    @Test("a subscription's results are next messages without complete, until the client completes it")
    func subscriptionResults() {
        var machine = ready(.transport)
        _ = machine.receive(text(#"{"type":"subscribe","id":"s","payload":{"query":"subscription { tasks { id } }"}}"#))
        #expect(machine.receive(.next(id: "s", result: #"{"data":{"tasks":[]}}"#)) == [.send(#"{"id":"s","type":"next","payload":{"data":{"tasks":[]}}}"#)])
        #expect(machine.receive(.next(id: "s", result: #"{"data":{"tasks":[{"id":1}]}}"#)).count == 1)
        #expect(machine.active == ["s"])
        #expect(machine.receive(text(#"{"type":"complete","id":"s"}"#)) == [.cancel(id: "s")])
        #expect(machine.receive(.next(id: "s", result: #"{"data":null}"#)) == [], "nothing after the client's complete")
        var legacy = ready(.legacy)
        _ = legacy.receive(text(#"{"type":"start","id":"s","payload":{"query":"subscription { tasks { id } }"}}"#))
        #expect(legacy.receive(.next(id: "s", result: #"{"data":{}}"#)) == [.send(#"{"id":"s","type":"data","payload":{"data":{}}}"#)])
    }

    @Test("a client's complete cancels its operation, and a late result is not sent")
    func completeCancels() {
        var machine = ready(.transport)
        _ = machine.receive(text(#"{"type":"subscribe","id":"1","payload":{"query":"{ tasks { id } }"}}"#))
        #expect(machine.receive(text(#"{"type":"complete","id":"1"}"#)) == [.cancel(id: "1")])
        #expect(machine.receive(.executed(id: "1", result: #"{"data":null}"#)) == [])
        #expect(machine.receive(text(#"{"type":"complete","id":"unknown"}"#)) == [], "completing an unknown id is harmless")
        // The id is free again.
        #expect(machine.receive(text(#"{"type":"subscribe","id":"1","payload":{"query":"{ a }"}}"#)).count == 1)
    }

    @Test("ping is answered with pong echoing its payload; two pings without a pong close with 4408; a pong resets the count")
    func heartbeat() {
        var machine = machine(.transport)
        #expect(machine.receive(text(#"{"type":"ping","payload":{"k":[1]}}"#)) == [.send(#"{"type":"pong","payload":{"k":[1]}}"#)])
        #expect(machine.receive(text(#"{"type":"ping"}"#)) == [.send(#"{"type":"pong"}"#)])
        #expect(machine.receive(.heartbeat) == [.send(#"{"type":"ping"}"#)])
        #expect(machine.receive(text(#"{"type":"pong"}"#)) == [])
        #expect(machine.receive(.heartbeat) == [.send(#"{"type":"ping"}"#)])
        #expect(machine.receive(.heartbeat) == [.send(#"{"type":"ping"}"#)])
        #expect(machine.receive(.heartbeat) == [.close(.initTimeout, "Two pings went unanswered")])
    }

    @Test("a failure of the server's own closes with 4500, cancelling what runs")
    func internalFailure() {
        var machine = ready(.transport)
        _ = machine.receive(text(#"{"type":"subscribe","id":"a","payload":{"query":"{ a }"}}"#))
        #expect(machine.receive(.internalFailure("a stream's batch could not be read"))
            == [.cancel(id: "a"), .close(.internalError, "Internal server error: a stream's batch could not be read")])
        #expect(machine.isClosed)
    }

    @Test("an expired token closes the connection with 4403, cancelling what runs")
    func tokenExpiry() {
        var machine = ready(.transport)
        _ = machine.receive(text(#"{"type":"subscribe","id":"b","payload":{"query":"{ a }"}}"#))
        _ = machine.receive(text(#"{"type":"subscribe","id":"a","payload":{"query":"{ a }"}}"#))
        #expect(machine.receive(.tokenExpired) == [.cancel(id: "a"), .cancel(id: "b"), .close(.forbidden, "Forbidden: the token has expired")])
        #expect(machine.isClosed)
    }

    @Test("graphql-ws (legacy): ack then ka, start/data/complete, stop, errors as data, terminate")
    func legacy() {
        var machine = machine(.legacy)
        #expect(machine.receive(.heartbeat) == [], "no keep-alive before the ack")
        #expect(machine.receive(text(#"{"type":"start","id":"1","payload":{"query":"{ a }"}}"#))
                == [.send(#"{"id":"1","type":"error","payload":{"message":"connection_init must come first"}}"#)])
        #expect(machine.receive(text(#"{"type":"connection_init","payload":{"Authorization":"Bearer x"}}"#)) == [.authenticate("Bearer x")])
        #expect(machine.receive(.authenticated(member)) == [.send(#"{"type":"connection_ack"}"#), .send(#"{"type":"ka"}"#)])
        #expect(machine.receive(.heartbeat) == [.send(#"{"type":"ka"}"#)])
        #expect(machine.receive(text(#"{"type":"start","id":"1","payload":{"query":"{ a }"}}"#)) == [.execute(id: "1", GraphQLRequest(query: "{ a }"), member)])
        #expect(machine.receive(.executed(id: "1", result: #"{"data":{"a":1}}"#))
                == [.send(#"{"id":"1","type":"data","payload":{"data":{"a":1}}}"#), .send(#"{"id":"1","type":"complete"}"#)])
        _ = machine.receive(text(#"{"type":"start","id":"2","payload":{"query":"{ b }"}}"#))
        #expect(machine.receive(.refused(id: "2", errors: [GraphQLError("no b")]))
                == [.send(#"{"id":"2","type":"data","payload":{"errors":[{"message":"no b"}]}}"#), .send(#"{"id":"2","type":"complete"}"#)])
        _ = machine.receive(text(#"{"type":"start","id":"3","payload":{"query":"{ c }"}}"#))
        #expect(machine.receive(text(#"{"type":"start","id":"3","payload":{"query":"{ d }"}}"#))
                == [.cancel(id: "3"), .execute(id: "3", GraphQLRequest(query: "{ d }"), member)], "a reused id replaces the operation")
        #expect(machine.receive(text(#"{"type":"stop","id":"3"}"#)) == [.cancel(id: "3")])
        #expect(machine.receive(text("not json")) == [.send(#"{"type":"error","id":"","payload":{"message":"Invalid message received: not JSON"}}"#)])
        #expect(machine.receive(text(#"{"type":"connection_terminate"}"#)) == [.close(.normal, "Normal Closure")])
    }

    @Test("graphql-ws (legacy): a refused token is connection_error, then the close")
    func legacyRefused() {
        var machine = machine(.legacy)
        _ = machine.receive(text(#"{"type":"connection_init"}"#))
        #expect(machine.receive(.authenticationFailed("bad token"))
                == [.send(#"{"type":"connection_error","payload":{"message":"bad token"}}"#), .close(.forbidden, "Forbidden")])
    }

    @Test("the subprotocol is chosen from the client's offer, graphql-transport-ws first")
    func dialects() {
        #expect(SocketDialect.choose(from: "graphql-ws, graphql-transport-ws") == .transport)
        #expect(SocketDialect.choose(from: "graphql-ws") == .legacy)
        #expect(SocketDialect.choose(from: "chat, superchat") == nil)
        #expect(SocketDialect.choose(from: nil) == nil)
    }
}
