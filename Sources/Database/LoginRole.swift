import Logging
import PostgresNIO

/// The role a Strata server is logged in as, and whether it is safe to serve with.
///
/// Row-level security is the wall between tenants, and PostgreSQL skips it for superusers and
/// roles with BYPASSRLS; a server logged in as one would show every tenant every row.
public struct LoginRole: Sendable, Equatable {
    public var name: String
    public var isSuperuser: Bool
    public var bypassesRowSecurity: Bool

    public init(name: String, isSuperuser: Bool, bypassesRowSecurity: Bool) {
        self.name = name
        self.isSuperuser = isSuperuser
        self.bypassesRowSecurity = bypassesRowSecurity
    }

    /// The role of the session on `connection`.
    public static func current(on connection: PostgresConnection, logger: Logger) async throws -> LoginRole {
        let rows = try await connection.query(
            "SELECT rolname::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = session_user",
            logger: logger)
        for try await (name, superuser, bypass) in rows.decode((String, Bool, Bool).self) {
            return LoginRole(name: name, isSuperuser: superuser, bypassesRowSecurity: bypass)
        }
        throw DatabaseConfigurationError("could not read the login role from pg_roles")
    }

    /// Why serving as this role is unsafe, or nil when it is fine.
    public var unsafeReason: String? {
        let what: String
        switch (isSuperuser, bypassesRowSecurity) {
        case (true, _): what = "a superuser"
        case (false, true): what = "a role with BYPASSRLS"
        case (false, false): return nil
        }
        return "the database login role '\(name)' is \(what). PostgreSQL does not apply row-level security to it, so every tenant would see every other tenant's rows. Connect as 'strata_authenticator' (created by `strata migrate`; not a superuser, no BYPASSRLS), or pass --allow-unsafe-role to serve anyway on a throwaway database."
    }
}
