import AsyncHTTPClient
import Crypto
import Database
import Foundation
import GraphQLLanguage
import NIOCore
import NIOHTTP1
import Planner
import SchemaModel
import SQL

/// A `webhook` trigger: each event it takes is POSTed as JSON, one at a time and in order, with
/// the delivery's idempotency key and an HMAC signature. A receiver's 2xx settles the delivery;
/// anything else (or no answer within the timeout) is a failure, retried with backoff and
/// jitter, and a dead letter after the last attempt. The call leaves the database, so delivery
/// is at least once: the receiver de-duplicates by `Idempotency-Key`.
public struct WebhookHandler: EventHandler {
    public let trigger: EventTrigger
    let resolver: WebhookResolver
    /// The statement picking the events the trigger takes; nil when it takes every one.
    let filter: (statement: PreparedSQL, parameters: [PlanParameter])?
    let client: HTTPClient

    public var name: String { trigger.handlerName }
    public var tables: [String]? { [trigger.table] }
    /// Fewer per transaction than a database effect: the claim stays open while the receiver
    /// answers. A tenant's share is posted at once, over up to eight connections.
    public var batchSize: Int? { 40 }
    /// A tenant's events of a batch are posted at once; should one fail, the reader tries them
    /// one by one (posting again those that went through: webhooks are at least once, keyed).
    public var handlesTogether: Bool { true }
    public var isDeclared: Bool { true }
    public var retryPolicy: RetryPolicy? {
        RetryPolicy(initialDelay: .milliseconds(resolver.initialDelayMilliseconds), maximumDelay: .milliseconds(resolver.maximumDelayMilliseconds),
                    maximumAttempts: resolver.maximumAttempts, jitter: 0.25)
    }

    public func handle(_ events: [ChangeEvent], in transaction: HandlerTransaction) async throws {
        var taken = events
        if let filter {
            let ids = try await transaction.run(filter.statement, binds: try TriggerHandler.binds(filter.parameters, events: events, trigger: name))
            let wanted = Set((ids ?? "").split(separator: ",").compactMap { Int64($0) })
            taken = events.filter { wanted.contains($0.id) }
        }
        let poster = WebhookPoster(resolver: resolver, client: client)
        let posts = taken.map { (payload($0), $0.idempotencyKey(handler: name)) }
        try await withThrowingDiscardingTaskGroup { group in
            for (body, key) in posts {
                group.addTask { try await poster.post(body, key: key) }
            }
        }
    }

    /// What the receiver gets: the delivery's key, the trigger, the table, the event.
    func payload(_ event: ChangeEvent) -> String {
        "{\"id\":\(JSONText.quoted(event.idempotencyKey(handler: name))),\"trigger\":{\"name\":\(JSONText.quoted(name))},"
            + "\"table\":{\"name\":\(JSONText.quoted(trigger.table))},\"event\":\(event.json)}"
    }
}

/// One POST of a JSON body to a webhook's URL: its idempotency key and, with a secret, its
/// signature as headers; a 2xx answer within the timeout, or a `WebhookFailure`.
struct WebhookPoster {
    let resolver: WebhookResolver
    let client: HTTPClient

    static let signatureHeader = "Strata-Signature"

    func post(_ body: String, key: String) async throws {
        var request = HTTPClientRequest(url: resolver.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Strata-Webhook")
        request.headers.add(name: "Idempotency-Key", value: key)
        if let secret = resolver.secret {
            request.headers.add(name: Self.signatureHeader, value: Self.signature(body: body, secret: secret, at: Int(Date().timeIntervalSince1970)))
        }
        request.body = .bytes(ByteBuffer(string: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .milliseconds(Int64(resolver.timeoutMilliseconds)))
        } catch {
            throw WebhookFailure(message: "POST \(resolver.url) failed: \(error)")
        }
        let answer = (try? await response.body.collect(upTo: 4_096)).map { String(buffer: $0) } ?? ""
        guard (200..<300).contains(response.status.code) else {
            throw WebhookFailure(message: "POST \(resolver.url) answered \(response.status.code)" + (answer.isEmpty ? "" : ": \(answer.prefix(200))"))
        }
    }

    /// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with
    /// the shared secret, and refuses an old timestamp to stop replays.
    static func signature(body: String, secret: String, at time: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(time).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(time),v1=" + Hex.encode(Data(mac))
    }
}

public struct WebhookFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
