import Database
import SchemaModel

/// Event triggers against the database: the role they run as exists, the server's login role
/// may assume it, and it may do what each trigger does — insert notifications and history, read
/// the rows paths go through, call SQL functions taking the event as `jsonb`.
extension SchemaCheck {
    static let loginRole = "strata_authenticator"

    func triggerChecks() -> [SchemaError] {
        let triggers = project.triggers
        guard !triggers.isEmpty, let role = project.settings.eventRole else { return [] }
        let position = project.settings.eventRolePosition ?? SourcePosition(file: "strata.yaml", line: 1, column: 1)
        guard let privileges = catalog.privileges[role] else {
            return [position.error("events.role '\(role)' does not exist in the database; create it (CREATE ROLE \(role) NOLOGIN) "
                + "and GRANT \(role) TO \(Self.loginRole)")]
        }
        var errors: [SchemaError] = []
        if !privileges.members.contains(Self.loginRole) {
            errors.append(position.error("the login role \(Self.loginRole) may not assume events.role '\(role)'; run GRANT \(role) TO \(Self.loginRole)"))
        }
        for trigger in triggers {
            errors += check(trigger, role: role, privileges)
        }
        return errors
    }

    private func check(_ trigger: EventTrigger, role: String, _ privileges: LiveCatalog.Privileges) -> [SchemaError] {
        var errors: [SchemaError] = []
        func needs(_ privilege: String, on tableName: String, _ granted: Set<String>) {
            guard let table = project.table(named: tableName), !granted.contains(table.qualifiedName) else { return }
            errors.append(trigger.position.error("trigger '\(trigger.name)' needs \(privilege) on \(table.qualifiedName) for events.role '\(role)'; "
                + "run GRANT \(privilege) ON \(table.quotedName) TO \(role)"))
        }
        for table in readTables(trigger) { needs("SELECT", on: table, privileges.selectable) }
        switch trigger.resolver {
        case .notification(let resolver):
            needs("INSERT", on: resolver.table, privileges.insertable)
        case .history(let resolver):
            needs("INSERT", on: resolver.table, privileges.insertable)
            needs("SELECT", on: resolver.table, privileges.selectable)
        case .sql(let resolver):
            let name = "\(resolver.schema).\(resolver.function)"
            let candidates = catalog.functions.filter { $0.schema == resolver.schema && $0.name == resolver.function }
            guard let function = candidates.first(where: { $0.arguments == "jsonb" || $0.arguments.hasSuffix(" jsonb") }) else {
                errors.append(trigger.position.error(candidates.isEmpty
                    ? "function \(name) of trigger '\(trigger.name)' does not exist"
                        + NameSuggestion.hint(for: resolver.function, among: catalog.functions.filter { $0.schema == resolver.schema }.map(\.name))
                    : "function \(name) of trigger '\(trigger.name)' does not take the event (jsonb) as its only argument"))
                break
            }
            if !privileges.executable.contains("\(name)(\(function.arguments))") {
                errors.append(trigger.position.error("trigger '\(trigger.name)' calls \(name), which events.role '\(role)' may not execute; "
                    + "run GRANT EXECUTE ON FUNCTION \(name)(jsonb) TO \(role)"))
            }
        case .webhook:
            break
        }
        return errors
    }

    /// The tables a trigger's condition and paths read through relationships.
    private func readTables(_ trigger: EventTrigger) -> Set<String> {
        var paths: [RowPath] = []
        if case .notification(let resolver) = trigger.resolver {
            paths = resolver.recipients + resolver.payload.paths
        }
        var tables: Set<String> = []
        for path in paths where !path.relationships.isEmpty {
            var current = project.table(named: trigger.table)
            for name in path.relationships {
                guard let relationship = current?.relationship(named: name) else { break }
                tables.insert(relationship.target)
                current = project.table(named: relationship.target)
            }
        }
        return tables
    }
}

extension PayloadTemplate {
    /// Every row path its fields name.
    var paths: [RowPath] {
        switch self {
        case .object(let members): members.flatMap(\.value.paths)
        case .array(let items): items.flatMap(\.paths)
        case .text(let parts): parts.compactMap { if case .field(.row(let path)) = $0 { path } else { nil } }
        case .number, .boolean, .null: []
        }
    }
}
