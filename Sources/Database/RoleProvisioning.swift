import Logging
import PostgresNIO
import SQL

/// The PostgreSQL roles a project needs before its migrations run: the server's login role
/// (`strata_authenticator`: LOGIN, NOINHERIT, no superuser, no BYPASSRLS, owning nothing) and a
/// NOLOGIN role for each role the YAML declares, each granted to the login role so a request can
/// `SET ROLE` to it, and the login role's CONNECT on the database. Roles are created only when
/// missing, so a database whose roles were made by hand keeps them as they are. What the roles
/// may do with the tables — the grants — stays the schema author's, in the migrations.
public enum RoleProvisioning {
    /// What `ensure` did.
    public struct Report: Sendable, Equatable {
        /// Roles created, the login role first.
        public var created: [String] = []
        /// Roles newly granted to the login role.
        public var granted: [String] = []
    }

    /// A role could not be created or granted: the migrating role lacks the right.
    public struct Refusal: Error, CustomStringConvertible {
        public var role: String
        public var reason: String
        public var fix: String
        public var description: String {
            "could not provision the role '\(role)': \(reason). Run as a superuser or a role with CREATEROLE, or do it by hand: \(fix)"
        }
    }

    public static func ensure(login: String, roles: [String], on connection: PostgresConnection, logger: Logger) async throws -> Report {
        var report = Report()
        let wanted = [login] + roles.filter { $0 != login }
        var existing: Set<String> = []
        for try await name in try await connection.query("SELECT rolname::text FROM pg_roles WHERE rolname = ANY(\(wanted))", logger: logger)
            .decode(String.self) {
            existing.insert(name)
        }
        for role in wanted where !existing.contains(role) {
            let attributes = role == login ? "LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS" : "NOLOGIN NOINHERIT NOBYPASSRLS"
            let statement = "CREATE ROLE \(SQLIdentifier(role).rendered) \(attributes)"
            do {
                _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                report.created.append(role)
            } catch let error as PSQLError where ["42710", "23505"].contains(error.serverInfo?[.sqlState]) {
                // Created meanwhile by another process migrating the same cluster.
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
                throw Refusal(role: role, reason: error.serverInfo?[.message] ?? "permission denied",
                              fix: statement + (role == login ? "" : "; GRANT \(SQLIdentifier(role).rendered) TO \(SQLIdentifier(login).rendered)"))
            }
        }
        var members: Set<String> = []
        let granted = try await connection.query("""
            SELECT r.rolname::text FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
            WHERE m.rolname = \(login)
            """, logger: logger)
        for try await name in granted.decode(String.self) { members.insert(name) }
        for role in wanted.dropFirst() where !members.contains(role) {
            let statement = "GRANT \(SQLIdentifier(role).rendered) TO \(SQLIdentifier(login).rendered)"
            do {
                _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                report.granted.append(role)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
                throw Refusal(role: role, reason: error.serverInfo?[.message] ?? "permission denied", fix: statement)
            }
        }
        var database = ""
        for try await name in try await connection.query("SELECT current_database()::text", logger: logger).decode(String.self) { database = name }
        let connect = "GRANT CONNECT ON DATABASE \(SQLIdentifier(database).rendered) TO \(SQLIdentifier(login).rendered)"
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: connect), logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
            throw Refusal(role: login, reason: error.serverInfo?[.message] ?? "permission denied", fix: connect)
        }
        return report
    }
}
