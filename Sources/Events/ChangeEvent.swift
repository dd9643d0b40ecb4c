/// What happened to a row — or a named domain event emitted from SQL: one `strata.change_events`
/// row, written in the transaction it tells of.
public struct ChangeEvent: Sendable, Hashable {
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        case insert, update, delete
        /// A named domain event (`strata.emit`): `table` holds its type, `new` its payload.
        case event

        /// Reads the trigger's `TG_OP` (`INSERT`, `UPDATE`, `DELETE`) or the stored lowercase form.
        public init?(triggerOperation: String) {
            self.init(rawValue: triggerOperation.lowercased())
        }
    }

    /// Monotonic id; the order events are read in.
    public var id: Int64
    public var tenantID: String?
    public var table: String
    public var operation: Operation
    /// Primary key columns of the changed row, as JSON text.
    public var primaryKeyJSON: String
    public var oldJSON: String?
    public var newJSON: String?
    public var actor: String?
    public var transactionID: Int64

    public init(id: Int64, tenantID: String?, table: String, operation: Operation, primaryKeyJSON: String,
                oldJSON: String?, newJSON: String?, actor: String?, transactionID: Int64) {
        self.id = id
        self.tenantID = tenantID
        self.table = table
        self.operation = operation
        self.primaryKeyJSON = primaryKeyJSON
        self.oldJSON = oldJSON
        self.newJSON = newJSON
        self.actor = actor
        self.transactionID = transactionID
    }

    /// The key that makes a handler's effect happen once however often the event is delivered.
    public func idempotencyKey(handler: String) -> String {
        "\(handler):\(id)"
    }
}
