import Database
import Foundation
import GraphQLTypeSystem
import Logging
import Planner
import PostgresNIO
import SQL
import TestSupport

/// The seeded database golden operations run against, and how they run there: as the request's
/// role with its tenant, user and claims set for the transaction, as the server sets them.
actor GoldenDatabase {
    static let shared = GoldenDatabase()

    private var database: Task<TestDatabase, any Error>?
    let logger = Logger(label: "strata.golden")

    func seeded() async throws -> TestDatabase {
        if let database { return try await database.value }
        let logger = self.logger
        let task = Task {
            let database = try await TestCluster.shared.makeDatabase()
            let seed = try String(contentsOfFile: ProjectFiles.root + "/Tests/PlannerTests/seed.sql", encoding: .utf8)
            let types = try String(contentsOfFile: DemoAPI.typesDirectory + "/setup.sql", encoding: .utf8)
            try await database.withConnection { connection in
                for statement in SQLScript(seed).statements + SQLScript(types).statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement.text), logger: logger)
                }
            }
            return database
        }
        database = task
        return try await task.value
    }

    /// Runs a planned statement with `binds` for `session`, with the connection's settings for
    /// `settingsTenant` (the session's own unless a test makes them disagree).
    nonisolated func run(_ sql: String, binds: [SQLValue], session: Session, settingsTenant: String? = nil) async throws -> String {
        try await transaction([(sql, binds)], session: session, settingsTenant: settingsTenant, commit: true)[0]
    }

    /// Runs statements in order in one transaction as `session`, then rolls it back: a
    /// mutation's results without changing the seeded data.
    nonisolated func runRolledBack(_ statements: [(String, [SQLValue])], session: Session) async throws -> [String] {
        try await transaction(statements, session: session, settingsTenant: nil, commit: false)
    }

    /// Each statement's single value as text (`null` for SQL null), run in one transaction
    /// under the session's settings as the server sets them.
    private nonisolated func transaction(_ statements: [(String, [SQLValue])], session: Session, settingsTenant: String?,
                                         commit: Bool) async throws -> [String] {
        let database = try await seeded()
        let logger = self.logger
        // Tests run in parallel; a few connections at a time keep the cluster's limit in reach.
        await acquire()
        defer { Task { await self.releasePermit() } }
        return try await database.withConnection(as: "strata_authenticator") { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                let connectionSettings = ConnectionSettings(role: session.role, tenantID: session.tenantID, userID: session.userID,
                                                            claims: session.claimsJSON)
                let settings = SQLRenderer.render(connectionSettings.statement(scope: .transaction))
                var settingsBinds = PostgresBindings(settings.binds.compactMap { if case .value(let value) = $0 { value } else { nil } })
                if let settingsTenant { settingsBinds = Self.replacingTenant(settingsBinds, settings: settings, with: settingsTenant, session: session) }
                try await connection.query(PostgresQuery(unsafeSQL: settings.text, binds: settingsBinds), logger: logger)
                var results: [String] = []
                for (sql, binds) in statements {
                    let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: PostgresBindings(binds)), logger: logger)
                    var result = ""
                    for try await row in rows {
                        result = try row.decode(String?.self) ?? "null"
                    }
                    results.append(result)
                }
                try await connection.query(commit ? "COMMIT" : "ROLLBACK", logger: logger)
                return results
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw StatementFailure(description: String(reflecting: error))
            }
        }
    }

    private var permits = 6
    private var waiting: [CheckedContinuation<Void, Never>] = []

    private func acquire() async {
        if permits > 0 {
            permits -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func releasePermit() {
        if waiting.isEmpty { permits += 1 } else { waiting.removeFirst().resume() }
    }

    private static func replacingTenant(_ bindings: PostgresBindings, settings: RenderedSQL, with tenant: String, session: Session) -> PostgresBindings {
        PostgresBindings(settings.binds.compactMap { bind -> SQLValue? in
            guard case .value(let value) = bind else { return nil }
            return value == .text(session.tenantID ?? "") ? .text(tenant) : value
        })
    }
}

/// A failed statement with PostgreSQL's whole report, so a failing test shows what went wrong.
struct StatementFailure: Error, CustomStringConvertible {
    let description: String
}

extension JSONValue {
    /// The JSON re-written compactly, members in their order, for comparing results.
    static func normalized(_ text: String) -> String {
        (try? JSONValue.parse(text).serialized) ?? text
    }

    /// Every `tenant_id` string anywhere in the value.
    var tenantIDs: [String] {
        switch self {
        case .object(let members):
            return members.flatMap { key, value -> [String] in
                if key == "tenant_id", case .string(let id) = value { return [id] }
                return value.tenantIDs
            }
        case .array(let items): return items.flatMap(\.tenantIDs)
        default: return []
        }
    }
}
