import APISchema
import Database
import GraphQLLanguage
import Planner
import SchemaModel
import SQL

/// An event trigger from the YAML, run by the event reader: its planned statement over a batch
/// of one tenant's events, in the transaction that acknowledges them.
public struct TriggerHandler: EventHandler {
    public let trigger: EventTrigger
    let statement: PreparedSQL
    let parameters: [PlanParameter]

    public var name: String { trigger.handlerName }
    public var tables: [String]? { [trigger.table] }

    /// The handlers of every trigger of `project`; nil (and the reason) when one cannot be planned.
    public static func all(in project: SchemaProject) throws -> [TriggerHandler] {
        let triggers = project.triggers
        guard !triggers.isEmpty else { return [] }
        let api: RoleSchema
        do {
            api = try RoleSchema.background(project)
        } catch {
            throw TriggerPlanningError(message: "the tables cannot be planned against: \(error.errors.map(\.message).joined(separator: "; "))")
        }
        return try triggers.map { trigger in
            guard let planned = TriggerPlanner.statement(for: trigger, api: api) else {
                throw TriggerPlanningError(message: "trigger '\(trigger.handlerName)' at \(trigger.position) names a table the project does not describe")
            }
            let lists = Set(planned.parameters.indices.filter { planned.parameters[$0].isList })
            return TriggerHandler(trigger: trigger, statement: PreparedSQL(planned.sql, listParameters: lists), parameters: planned.parameters)
        }
    }

    public func handle(_ events: [ChangeEvent], in transaction: HandlerTransaction) async throws {
        let tenant = events.first?.tenantID ?? ""
        if case .sql = trigger.resolver {
            // Each call runs as the event's actor.
            for event in events {
                try await transaction.actAs(event.actor)
                try await transaction.run(statement, binds: try binds([event], tenant: tenant))
            }
        } else {
            try await transaction.run(statement, binds: try binds(events, tenant: tenant))
        }
    }

    func binds(_ events: [ChangeEvent], tenant: String) throws -> [SQLValue] {
        try parameters.map { parameter in
            switch parameter {
            case .value(let value): return value
            case .session(.tenantID): return .text(tenant)
            case TriggerPlanner.eventsParameter: return .text(ChangeEvent.jsonArray(events))
            default: throw TriggerPlanningError(message: "trigger '\(name)' needs \(parameter), which an event does not carry")
            }
        }
    }
}

public struct TriggerPlanningError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension ChangeEvent {
    /// The event as the JSON object triggers and SQL resolvers read. A row image the event
    /// lacks (`old` of an insert, `new` of a delete) is left out, so it reads as SQL NULL.
    public var json: String {
        func text(_ value: String?) -> String { value.map(JSONText.quoted) ?? "null" }
        return "{\"id\":\(id),\"tenant_id\":\(text(tenantID)),\"table_name\":\(JSONText.quoted(table)),\"op\":\"\(operation.rawValue)\","
            + "\"primary_key\":\(primaryKeyJSON)" + (oldJSON.map { ",\"old\":\($0)" } ?? "") + (newJSON.map { ",\"new\":\($0)" } ?? "")
            + ",\"actor\":\(text(actor))}"
    }

    static func jsonArray(_ events: [ChangeEvent]) -> String {
        "[" + events.map(\.json).joined(separator: ",") + "]"
    }
}
