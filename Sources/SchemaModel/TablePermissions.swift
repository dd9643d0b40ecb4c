/// What one role may do with one table. An operation without a permission is not in that
/// role's API at all.
public struct TablePermissions: Sendable, Hashable {
    public var select: SelectPermission?
    public var insert: InsertPermission?
    public var update: UpdatePermission?
    public var delete: DeletePermission?
    public var position: SourcePosition
}

public struct SelectPermission: Sendable, Hashable {
    /// Columns the role may read; computed fields are listed here too.
    public var columns: [String]
    public var filter: RowFilter
    /// The most rows one selection returns, whatever `limit` the client asks for.
    public var limit: Int?
    /// Whether `<table>_aggregate` fields are offered.
    public var allowsAggregates: Bool
    public var position: SourcePosition
}

public struct InsertPermission: Sendable, Hashable {
    public var columns: [String]
    /// Every inserted row must satisfy this, or the whole request is rolled back.
    public var check: RowFilter
    /// Columns set from the session or a constant, which the client cannot send.
    public var presets: [String: FilterValue]
    public var position: SourcePosition
}

public struct UpdatePermission: Sendable, Hashable {
    public var columns: [String]
    /// Rows the role may update.
    public var filter: RowFilter
    /// Every updated row must satisfy this afterwards.
    public var check: RowFilter
    public var presets: [String: FilterValue]
    public var position: SourcePosition
}

public struct DeletePermission: Sendable, Hashable {
    public var filter: RowFilter
    public var position: SourcePosition
}
