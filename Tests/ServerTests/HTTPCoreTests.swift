import Foundation
import Testing

/// What any HTTP/1.1 client may rely on from the server itself, whatever the endpoint:
/// pipelined requests answered in order, `Connection: close` and HTTP/1.0 honoured,
/// `Expect: 100-continue` answered, unknown paths and methods refused with the right status.
@Suite("HTTP/1.1 core")
struct HTTPCoreTests {
    /// The status lines' starts, in order (a response's body runs straight into the next one).
    static func statuses(_ answer: String) -> [String] {
        answer.matches(of: /HTTP\/1\.[01] \d{3}/).map { String($0.output) }
    }

    @Test("requests pipelined in one write are answered in order on the same connection")
    func pipelining() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let connection = try RawConnection(port: try #require(client.port))
            let body = #"{"query":"{ projects(order_by: {name: asc}) { name } }"}"#
            let post = "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + post + "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let answer = await connection.readToEnd()
            #expect(Self.statuses(answer) == ["HTTP/1.1 200", "HTTP/1.1 200", "HTTP/1.1 404"], "\(answer)")
            let healthz = try #require(answer.range(of: #"{"status":"ok"}"#))
            let data = try #require(answer.range(of: #"{"data":{"projects""#))
            #expect(healthz.lowerBound < data.lowerBound)
            #expect(answer.contains("Connection: close"))
        }
        await test.pool.shutdown()
    }

    @Test("HTTP/1.0 and Connection: close end the connection after the response; HEAD gets headers only")
    func connectionClose() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            let port = try #require(client.port)
            let old = try RawConnection(port: port)
            old.send("GET /healthz HTTP/1.0\r\n\r\n")
            let oldAnswer = await old.readToEnd()
            #expect(oldAnswer.hasPrefix("HTTP/1.0 200"), "\(oldAnswer)")
            #expect(oldAnswer.hasSuffix(#"{"status":"ok"}"#))
            let head = try RawConnection(port: port)
            head.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let headAnswer = await head.readToEnd()
            #expect(headAnswer.hasPrefix("HTTP/1.1 200"), "\(headAnswer)")
            #expect(headAnswer.contains("Content-Length: 15"))
            #expect(headAnswer.hasSuffix("\r\n\r\n"), "a HEAD response has no body")
        }
        await test.pool.shutdown()
    }

    @Test("Expect: 100-continue is answered before the body is sent; a declared body past the limit is 413 at once")
    func expectContinue() async throws {
        let test = try await GraphQLTestServer.start(maximumBodySize: 1_000)
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let port = try #require(client.port)
            let body = #"{"query":"{ projects { name } }"}"#
            let polite = try RawConnection(port: port)
            polite.send("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer \(token)\r\n"
                        + "Connection: close\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
            let interim = await polite.read()
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue"), "\(interim)")
            polite.send(body)
            let answer = await polite.readToEnd()
            #expect(Self.statuses(answer) == ["HTTP/1.1 200"], "\(answer)")
            let large = try RawConnection(port: port)
            large.send("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
            let refused = await large.readToEnd()
            #expect(Self.statuses(refused) == ["HTTP/1.1 413"], "\(refused)")
            #expect(refused.contains("larger than 1000 bytes"))
        }
        await test.pool.shutdown()
    }

    @Test("a method a path does not take is 405 with Allow; malformed HTTP is 400 and the connection closed")
    func methodsAndGarbage() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            let port = try #require(client.port)
            let delete = try RawConnection(port: port)
            delete.send("DELETE /graphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let deleteAnswer = await delete.readToEnd()
            #expect(deleteAnswer.hasPrefix("HTTP/1.1 405"), "\(deleteAnswer)")
            #expect(deleteAnswer.contains("Allow: GET, POST"))
            let garbage = try RawConnection(port: port)
            garbage.send("HELLO THERE\r\n\r\n")
            let garbageAnswer = await garbage.readToEnd()
            #expect(garbageAnswer.hasPrefix("HTTP/1.1 400"), "\(garbageAnswer)")
        }
        await test.pool.shutdown()
    }

    @Test("a chunked body is read; framing two readers could take differently is refused with what was wrong, and the connection closed")
    func framing() async throws {
        let test = try await GraphQLTestServer.start()
        let token = try await GraphQLTestServer.memberToken()
        try await test.server.test { client in
            let port = try #require(client.port)
            let chunked = try RawConnection(port: port)
            chunked.send("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer \(token)\r\n"
                         + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                         + "c;note=x\r\n{\"query\":\"{ \r\n13\r\nprojects { name } }\r\n2\r\n\"}\r\n0\r\nX-Trailer: y\r\n\r\n")
            let answer = await chunked.readToEnd()
            #expect(Self.statuses(answer) == ["HTTP/1.1 200"], "\(answer)")
            #expect(answer.contains(#"{"data":{"projects""#))
            let refusals: [(String, String, String)] = [
                ("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                 "HTTP/1.1 400", "both Content-Length and Transfer-Encoding"),
                ("POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n", "HTTP/1.1 400",
                 "Line 3 of the request head has whitespace between a field's name and its colon"),
                ("POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "HTTP/1.1 501", "no transfer coding but chunked"),
                ("GET /healthz HTTP/2.0\r\n\r\n", "HTTP/1.1 505", "HTTP/1.1 and HTTP/1.0"),
            ]
            for (request, status, problem) in refusals {
                let connection = try RawConnection(port: port)
                connection.send(request + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                let refused = await connection.readToEnd()
                #expect(Self.statuses(refused) == [status], "the request after it is not read: \(refused)")
                #expect(refused.contains(problem), "\(refused)")
            }
        }
        await test.pool.shutdown()
    }

    @Test("after a request to upgrade that is refused, the connection closes: what the client sent after it is not read as HTTP")
    func refusedUpgrade() async throws {
        let test = try await GraphQLTestServer.start()
        try await test.server.test { client in
            let connection = try RawConnection(port: try #require(client.port))
            connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"
                            + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
            let answer = await connection.readToEnd()
            #expect(Self.statuses(answer) == ["HTTP/1.1 200"], "\(answer)")
            #expect(answer.contains("Connection: close"))
        }
        await test.pool.shutdown()
    }
}
