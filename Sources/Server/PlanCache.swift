import Database
import Foundation
import GraphQLLanguage
import GraphQLTypeSystem
import NIOCore
import Planner
import Synchronization

/// Parsed-and-validated documents and their plans, so a repeated operation skips parsing,
/// validation and planning. Documents are keyed by (text, role); plans by
/// (document, operation name, the shape of the variables): the values of variables that shaped
/// the SQL, and only whether the others were absent, null or present — so requests differing
/// in scalar variables share one plan, one SQL text and one prepared statement.
final class PlanCache: Sendable {
    /// A document's text and role, hashed once: a request looks up its document and its plan
    /// with the same key, and the text is compared only when the hashes are equal.
    struct DocumentKey: Hashable, Sendable {
        let query: String
        let role: String
        private let hash: Int

        init(query: String, role: String) {
            self.query = query
            self.role = role
            var hasher = Hasher()
            hasher.combine(query)
            hasher.combine(role)
            hash = hasher.finalize()
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(hash)
        }

        static func == (left: DocumentKey, right: DocumentKey) -> Bool {
            left.hash == right.hash && left.role == right.role && left.query == right.query
        }
    }

    struct PlanKey: Hashable, Sendable {
        let document: DocumentKey
        let operationName: String?
        let shape: [String]
    }

    /// A plan with its statements ready for the pool, or its answer when it needs no database.
    /// Immutable, and a class: each request of the plan holds a reference, not a copy.
    final class Entry: Sendable {
        let plan: QueryPlan
        /// The operation's estimated cost (`OperationCost`), for rate limits.
        let cost: Int
        /// `plan.statements`, prepared, in the same order.
        let statements: [PreparedSQL]
        /// The `data` JSON of a plan known without the database (introspection, `__typename`).
        let constantData: ByteBuffer?
        /// `plan.batch`, prepared: the statement of coalesced requests.
        let batchStatement: PreparedSQL?

        init(plan: QueryPlan, cost: Int = 1) {
            self.plan = plan
            self.cost = cost
            self.statements = plan.statements.map { statement in
                let lists = Set(statement.parameters.indices.filter { statement.parameters[$0].isList })
                return PreparedSQL(statement.sql, listParameters: lists)
            }
            batchStatement = plan.batch?.prepared
            if case .constant(let data) = plan.body {
                constantData = ByteBuffer(string: data.serialized)
            } else {
                constantData = nil
            }
        }
    }

    /// The variables that shaped an operation's plans: by value, or by layout alone.
    struct ShapingVariables: Sendable {
        var values: Set<String> = []
        var layouts: Set<String> = []
    }

    private struct Storage {
        var documents: [DocumentKey: Document] = [:]
        var documentOrder: [DocumentKey] = []
        /// Per document and operation: the variables that shaped its plans.
        var structural: [PlanKey: ShapingVariables] = [:]
        var plans: [PlanKey: Entry] = [:]
        var planOrder: [PlanKey] = []
    }

    private let storage = Mutex(Storage())
    let capacity: Int

    init(capacity: Int = 2_000) {
        self.capacity = capacity
    }

    static func key(query: String, role: String) -> DocumentKey {
        DocumentKey(query: query, role: role)
    }

    func document(_ key: DocumentKey) -> Document? {
        storage.withLock { $0.documents[key] }
    }

    func store(_ document: Document, for key: DocumentKey) {
        storage.withLock { storage in
            guard storage.documents.updateValue(document, forKey: key) == nil else { return }
            storage.documentOrder.append(key)
            if storage.documentOrder.count > capacity {
                storage.documents[storage.documentOrder.removeFirst()] = nil
            }
        }
    }

    /// The plan for these variables, if one was made for their shape.
    func plan(_ document: DocumentKey, operationName: String?, definitions: SyntaxList<VariableDefinition>,
              variables: [String: JSONValue]) -> Entry? {
        storage.withLock { storage in
            let operation = PlanKey(document: document, operationName: operationName, shape: [])
            guard let structural = storage.structural[operation] else { return nil }
            let key = PlanKey(document: document, operationName: operationName,
                              shape: Self.shape(definitions, variables: variables, structural: structural))
            return storage.plans[key]
        }
    }

    func store(_ entry: Entry, document: DocumentKey, operationName: String?, definitions: SyntaxList<VariableDefinition>,
               variables: [String: JSONValue]) {
        let structural = ShapingVariables(values: entry.plan.structuralVariables, layouts: entry.plan.laidOutVariables)
        let key = PlanKey(document: document, operationName: operationName,
                          shape: Self.shape(definitions, variables: variables, structural: structural))
        storage.withLock { storage in
            // Different variables can shape different plans of one operation (a `@skip` flag
            // hides a part that reads another): lookups use them all. A stored plan's own key
            // names only its variables, so a lookup matches it only when the rest are absent.
            let operation = PlanKey(document: document, operationName: operationName, shape: [])
            storage.structural[operation, default: ShapingVariables()].values.formUnion(structural.values)
            storage.structural[operation, default: ShapingVariables()].layouts.formUnion(structural.layouts)
            guard storage.plans.updateValue(entry, forKey: key) == nil else { return }
            storage.planOrder.append(key)
            if storage.planOrder.count > capacity {
                let evicted = storage.planOrder.removeFirst()
                storage.plans[evicted] = nil
            }
        }
    }

    /// One entry per declared variable: its whole value when it shaped the plan, its layout
    /// when only that did, else its state.
    static func shape(_ definitions: SyntaxList<VariableDefinition>, variables: [String: JSONValue], structural: ShapingVariables) -> [String] {
        definitions.map { definition in
            let name = definition.variable.value
            guard let value = variables[name] else { return "-" }
            if structural.values.contains(name) { return "=" + value.serialized }
            if structural.layouts.contains(name) { return layout(value, after: "~") }
            return value == .null ? "null" : "+"
        }
    }

    /// A value with every scalar replaced by `s`: members, nulls and the lengths of lists of
    /// objects remain. A list of scalars is `[*]` and a uniform list of rows `[*` + members + `]`
    /// whatever their lengths: the planner binds each as one parameter, so neither its length
    /// nor its values shape the SQL.
    static func layout(_ value: JSONValue, after prefix: StaticString = "") -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        prefix.withUTF8Buffer { text.append(contentsOf: $0) }
        layout(value, into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Written as bytes: one string is made of them at the end, not one per piece.
    private static func layout(_ value: JSONValue, into text: inout [UInt8]) {
        switch value {
        case .null: text.append(UInt8(ascii: "n"))
        case .string, .number, .bool: text.append(UInt8(ascii: "s"))
        case .array(let items):
            if items.allSatisfy(\.isScalar) {
                text.append(contentsOf: "[*]".utf8)
            } else if let members = UniformRows.members(of: value) {
                text.append(contentsOf: "[*".utf8)
                for (index, member) in members.enumerated() {
                    if index > 0 { text.append(UInt8(ascii: ",")) }
                    text.append(contentsOf: JSONText.quoted(member).utf8)
                }
                text.append(UInt8(ascii: "]"))
            } else {
                text.append(UInt8(ascii: "["))
                for (index, item) in items.enumerated() {
                    if index > 0 { text.append(UInt8(ascii: ",")) }
                    layout(item, into: &text)
                }
                text.append(UInt8(ascii: "]"))
            }
        case .object(let members):
            text.append(UInt8(ascii: "{"))
            for (index, (key, member)) in members.enumerated() {
                if index > 0 { text.append(UInt8(ascii: ",")) }
                text.append(contentsOf: JSONText.quoted(key).utf8)
                text.append(UInt8(ascii: ":"))
                layout(member, into: &text)
            }
            text.append(UInt8(ascii: "}"))
        }
    }
}
