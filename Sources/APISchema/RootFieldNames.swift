/// The GraphQL names generated for one table, following Hasura's conventions so existing clients
/// and habits carry over.
public struct RootFieldNames: Sendable, Equatable {
    public let table: String

    public init(table: String) {
        self.table = table
    }

    public var select: String { table }
    public var selectByPrimaryKey: String { "\(table)_by_pk" }
    public var aggregate: String { "\(table)_aggregate" }
    public var stream: String { "\(table)_stream" }
    public var insert: String { "insert_\(table)" }
    public var insertOne: String { "insert_\(table)_one" }
    public var update: String { "update_\(table)" }
    public var updateByPrimaryKey: String { "update_\(table)_by_pk" }
    public var updateMany: String { "update_\(table)_many" }
    public var delete: String { "delete_\(table)" }
    public var deleteByPrimaryKey: String { "delete_\(table)_by_pk" }

    public var boolExpType: String { "\(table)_bool_exp" }
    public var orderByType: String { "\(table)_order_by" }
    public var selectColumnType: String { "\(table)_select_column" }
    public var insertInputType: String { "\(table)_insert_input" }
    public var onConflictType: String { "\(table)_on_conflict" }
    public var setInputType: String { "\(table)_set_input" }
    public var incInputType: String { "\(table)_inc_input" }
    public var mutationResponseType: String { "\(table)_mutation_response" }

    /// Every root field name, for clash detection between tables.
    public var allRootFields: [String] {
        [select, selectByPrimaryKey, aggregate, stream, insert, insertOne, update,
         updateByPrimaryKey, updateMany, delete, deleteByPrimaryKey]
    }
}
