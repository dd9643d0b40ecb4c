/// Rules that span files: roles named in settings exist, generated API names do not collide,
/// and clients never write a tenant column.
extension SchemaProject {
    func crossChecks() -> [SchemaError] {
        var errors: [SchemaError] = []
        let roles = roleNames
        for (setting, role) in [("anonymous_role", settings.auth.anonymousRole), ("default_role", settings.auth.defaultRole)] {
            if let role, !roles.contains(role) {
                errors.append(SchemaError(file: "strata.yaml", line: 1, column: 1,
                                          message: "auth.\(setting) '\(role)' is not one of the roles (\(roles.joined(separator: ", ")))"))
            }
        }
        var seenRoles: Set<String> = []
        for role in settings.roles where !seenRoles.insert(role.name).inserted {
            errors.append(role.position.error("role '\(role.name)' is declared twice"))
        }
        var rootFields: [String: TableModel] = [:]
        for table in tables {
            for field in Self.generatedNames(of: table.name) {
                if let other = rootFields[field], other.name != table.name {
                    errors.append(table.position.error(
                        "the API name '\(field)' of table '\(table.name)' is also generated for '\(other.name)' (\(other.position)); rename one"))
                }
                rootFields[field] = table
            }
            errors += tenantChecks(table)
        }
        var functionNames: [String: FunctionModel] = [:]
        for function in functions {
            if let table = rootFields[function.name] {
                errors.append(function.position.error("function '\(function.name)' has the API name of a field of table '\(table.name)'; give it another 'name:'"))
            } else if let other = functionNames[function.name] {
                errors.append(function.position.error("function '\(function.name)' is also the API name of \(other.position); give one of them another 'name:'"))
            }
            functionNames[function.name] = function
        }
        for (type, followers) in settings.domainEventRoles.sorted(by: { $0.key < $1.key }) {
            for role in followers where !roles.contains(role) {
                errors.append(SchemaError(file: "strata.yaml", line: 1, column: 1,
                                          message: "events.channels.\(type) names unknown role '\(role)'" + NameSuggestion.hint(for: role, among: roles)))
            }
        }
        for schedule in settings.schedules {
            if settings.eventRole == nil {
                errors.append(schedule.position.error("schedule '\(schedule.name)' needs the role schedules run as: set 'events: { role: … }'"))
            }
            if schedule.perTenant {
                guard let name = settings.tenantsTable else {
                    errors.append(schedule.position.error("schedule '\(schedule.name)' runs per tenant: set 'tenancy: { tenants: … }' to the table listing them"))
                    continue
                }
                if table(named: name)?.primaryKey.count != 1 {
                    errors.append(schedule.position.error("tenancy.tenants '\(name)' is no table file with a one-column primary key, so tenants cannot be listed"))
                }
            }
        }
        if settings.eventRole == nil, let first = triggers.first {
            errors.append(first.position.error("trigger '\(first.name)' needs the role triggers run as: set 'events: { role: … }' in strata.yaml "
                + "to a PostgreSQL role the login role is a member of, with the grants the triggers' effects need"))
        }
        return errors
    }

    /// Names the API derives from a table's name, for clash detection.
    static func generatedNames(of name: String) -> [String] {
        [name, "\(name)_by_pk", "\(name)_aggregate", "insert_\(name)", "insert_\(name)_one", "update_\(name)",
         "update_\(name)_by_pk", "update_\(name)_many", "delete_\(name)", "delete_\(name)_by_pk"]
    }

    /// A tenant column is set from the session, never by a client.
    func tenantChecks(_ table: TableModel) -> [SchemaError] {
        guard let tenant = table.tenantColumn else { return [] }
        var errors: [SchemaError] = []
        for (role, permissions) in table.permissions.sorted(by: { $0.key < $1.key }) {
            if let insert = permissions.insert, insert.columns.contains(tenant) {
                errors.append(insert.position.error(
                    "role '\(role)' may not insert '\(tenant)' of '\(table.name)': the tenant comes from the session; remove it from columns"))
            }
            if let update = permissions.update, update.columns.contains(tenant) {
                errors.append(update.position.error(
                    "role '\(role)' may not update '\(tenant)' of '\(table.name)': rows cannot move between tenants"))
            }
        }
        return errors
    }
}
