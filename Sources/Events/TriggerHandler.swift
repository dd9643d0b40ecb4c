import APISchema
import AsyncHTTPClient
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
    public var isDeclared: Bool { true }

    /// The handlers of every trigger of `project`: planned statements for database effects,
    /// webhook posters for webhooks. Throws when one cannot be planned.
    public static func all(in project: SchemaProject, client: HTTPClient = .shared) throws -> [any EventHandler] {
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
            let statement = PreparedSQL(planned.sql, listParameters: lists)
            guard case .webhook(let resolver) = trigger.resolver else {
                return TriggerHandler(trigger: trigger, statement: statement, parameters: planned.parameters)
            }
            let takesAll = trigger.isDomainEvent
                || (trigger.operations.count == ChangeOperation.allCases.count && trigger.columns.isEmpty && trigger.condition == nil)
            return WebhookHandler(trigger: trigger, resolver: resolver, filter: takesAll ? nil : (statement, planned.parameters), client: client)
        }
    }

    public func handle(_ events: [ChangeEvent], in transaction: HandlerTransaction) async throws {
        if case .sql = trigger.resolver {
            // Each call runs as the event's actor.
            for event in events {
                try await transaction.actAs(event.actor)
                try await transaction.run(statement, binds: try Self.binds(parameters, events: [event], trigger: name))
            }
        } else {
            try await transaction.run(statement, binds: try Self.binds(parameters, events: events, trigger: name))
        }
    }

    /// The values of a trigger statement's parameters for `events`, all of one tenant.
    static func binds(_ parameters: [PlanParameter], events: [ChangeEvent], trigger: String) throws -> [SQLValue] {
        try parameters.map { parameter in
            switch parameter {
            case .value(let value): return value
            case .session(.tenantID): return .text(events.first?.tenantID ?? "")
            case TriggerPlanner.eventsParameter: return .text(ChangeEvent.jsonArray(events))
            default: throw TriggerPlanningError(message: "trigger '\(trigger)' needs \(parameter), which an event does not carry")
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
