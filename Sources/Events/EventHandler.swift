import Database
import Logging
import PostgresNIO
import SQL

/// Something done with change events — notifications, history, SQL actions, webhooks. The
/// reader hands a handler each event it wants, in order per tenant, inside the transaction that
/// acknowledges the delivery: a database effect made through `HandlerTransaction` commits with
/// the acknowledgement or not at all, so it happens exactly once however often delivery is tried.
public protocol EventHandler: Sendable {
    /// Stable and unique: deliveries are kept under it across restarts.
    var name: String { get }
    /// The API names of the tables (or domain event types) whose events it wants; nil for all.
    var tables: [String]? { get }
    /// How many deliveries one transaction claims; nil for the reader's setting.
    var batchSize: Int? { get }
    /// When a failed delivery is tried again; nil for the reader's policy.
    var retryPolicy: RetryPolicy? { get }
    /// Whether a tenant's events of a batch may be handed over together (the reader does so
    /// only for events not tried before). When a call together fails, its database effects are
    /// undone and the events tried one by one — an effect outside the database (a webhook's
    /// POST) is then made once more for the events that had gone through.
    var handlesTogether: Bool { get }
    /// Declared in the YAML (an event trigger): `strata migrate` removes it when the YAML drops it.
    var isDeclared: Bool { get }
    /// Makes the effects of `events` — one tenant's, in event order. The transaction runs under
    /// the reader's role with the tenant's `app.tenant_id`; throwing undoes every effect made
    /// here, and the reader then tries the events one by one to find the one that fails.
    func handle(_ events: [ChangeEvent], in transaction: HandlerTransaction) async throws
}

extension EventHandler {
    public var batchSize: Int? { nil }
    public var retryPolicy: RetryPolicy? { nil }
    public var handlesTogether: Bool { true }
    public var isDeclared: Bool { false }
}

/// The open transaction a handler's effects run in: the reader's connection, between the claim
/// of a batch and its acknowledgement.
public struct HandlerTransaction: Sendable {
    public let connection: PostgresConnection
    public let logger: Logger

    /// Runs a rendered statement with its binds; its first value, if any, as text.
    @discardableResult
    public func run(_ statement: PreparedSQL, binds: [SQLValue]) async throws -> String? {
        try await connection.firstText(of: statement, binds: binds, logger: logger)
    }

    /// Sets `app.user_id` to the event's actor for the statements after it, until the
    /// transaction (or the handler's savepoint) ends.
    public func actAs(_ actor: String?) async throws {
        try await connection.guardedQuery("SELECT set_config('app.user_id', \(actor ?? ""), true)", logger: logger)
    }
}
