/// What a role's session must carry for its permissions to mean anything: a tenant when it
/// reads or writes a tenant-scoped table, a user when a filter, check or preset names
/// `$session.user_id`. A token that lacks one is refused at authentication, not run with a
/// null that silently matches nothing.
public struct SessionRequirements: Sendable, Equatable {
    public var needsTenant = false
    public var needsUser = false
    /// The type of the tenant columns, so a tenant claim of another type is refused up front.
    public var tenantType: ColumnType?

    public init(needsTenant: Bool = false, needsUser: Bool = false, tenantType: ColumnType? = nil) {
        self.needsTenant = needsTenant
        self.needsUser = needsUser
        self.tenantType = tenantType
    }
}

extension SchemaProject {
    /// Each served role's requirements, from the permissions it holds.
    public var sessionRequirements: [String: SessionRequirements] {
        var result: [String: SessionRequirements] = [:]
        for role in roleNames {
            var needs = SessionRequirements()
            for table in tables {
                guard let permissions = table.permissions[role] else { continue }
                if let tenant = table.tenantColumn {
                    needs.needsTenant = true
                    if needs.tenantType == nil { needs.tenantType = table.column(named: tenant)?.type }
                }
                if permissions.sessionValues.contains(.userID) { needs.needsUser = true }
            }
            result[role] = needs
        }
        return result
    }
}

extension TablePermissions {
    /// Every `$session.…` value the permission's filters, checks and presets use.
    var sessionValues: Set<SessionValue> {
        var values: Set<SessionValue> = []
        if let select { select.filter.collectSessionValues(into: &values) }
        if let insert {
            insert.check.collectSessionValues(into: &values)
            for preset in insert.presets.values { preset.collectSessionValues(into: &values) }
        }
        if let update {
            update.filter.collectSessionValues(into: &values)
            update.check.collectSessionValues(into: &values)
            for preset in update.presets.values { preset.collectSessionValues(into: &values) }
        }
        if let delete { delete.filter.collectSessionValues(into: &values) }
        return values
    }
}

extension RowFilter {
    func collectSessionValues(into values: inout Set<SessionValue>) {
        switch self {
        case .and(let terms), .or(let terms):
            for term in terms { term.collectSessionValues(into: &values) }
        case .not(let inner), .relationship(_, let inner):
            inner.collectSessionValues(into: &values)
        case .column(_, let comparisons):
            for comparison in comparisons { comparison.value.collectSessionValues(into: &values) }
        }
    }
}

extension FilterValue {
    func collectSessionValues(into values: inout Set<SessionValue>) {
        switch self {
        case .session(let value): values.insert(value)
        case .list(let items): for item in items { item.collectSessionValues(into: &values) }
        case .string, .number, .boolean, .null: break
        }
    }
}
