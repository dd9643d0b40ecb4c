/// Something done with change events — notifications, history, holds, subscriptions. The
/// reader delivers each event a handler wants at least once, in order per tenant; a handler
/// makes its effect happen once with `ChangeEvent.idempotencyKey(handler:)`.
public protocol EventHandler: Sendable {
    /// Stable and unique: deliveries are kept under it across restarts.
    var name: String { get }
    /// The API names of the tables whose events it wants; nil for every table.
    var tables: [String]? { get }
    /// Handles one event; throwing schedules a retry (see `RetryPolicy`).
    func handle(_ event: ChangeEvent) async throws
}
