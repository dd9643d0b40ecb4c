/// Tables some role may read but no role may subscribe to, because not every write to them is
/// captured as a change event: what `strata check` and the server's start say, so a schema author
/// learns why a table is missing from `subscription_root`.
public struct SubscriptionCoverage: Sendable {
    public struct Gap: Sendable, CustomStringConvertible {
        public let table: TableModel
        public let readers: [String]

        public var description: String {
            "\(table.position): note: '\(table.name)' is readable by \(readers.joined(separator: ", ")) but cannot be subscribed to: "
                + "not all its writes are captured as change events (add `events: true` to its file)"
        }
    }

    public static func gaps(in project: SchemaProject) -> [Gap] {
        project.tables.compactMap { table in
            let readers = table.permissions.filter { $0.value.select != nil }.keys.sorted()
            guard !table.capturesEveryWrite, !readers.isEmpty else { return nil }
            return Gap(table: table, readers: readers)
        }
    }
}
