import Logging
import PostgresNIO

/// What the database says about its tables, read once from the system catalogs for
/// `strata check`: columns with their types and nullability, keys, foreign keys, row-level
/// security, and functions.
public struct LiveCatalog: Sendable {
    public struct Table: Sendable {
        public var schema: String
        public var name: String
        public var rowSecurity: Bool
        public var forcedRowSecurity: Bool
        /// `pg_class.relkind`: `r` table, `p` partitioned table, `v` view, `m` materialized view.
        public var kind: String = "r"
        /// A view's or materialized view's: it has no keys of its own, so the YAML states them.
        public var isView: Bool { kind == "v" || kind == "m" }
        /// A view's `security_invoker` option: its tables' row-level security applies to the
        /// role querying it, not to the view's owner.
        public var securityInvoker = false
        /// Its partitions (`schema.name`), when it is partitioned.
        public var partitions: [String] = []
        /// Whether it is a partition of another table (which is exposed instead).
        public var isPartition = false
        /// `COMMENT ON TABLE`.
        public var comment: String?
        /// The row-level-security policies' `USING` expressions, as `pg_get_expr` prints them.
        public var policyExpressions: [String] = []
        /// Columns in their order, with `format_type`'s spelling of the type.
        public var columns: [Column] = []
        public var primaryKey: [String] = []
        /// Unique constraints and unique indexes (on plain columns, without a predicate) by name.
        public var unique: [String: [String]] = [:]
        public var foreignKeys: [ForeignKey] = []

        public func column(named name: String) -> Column? { columns.first { $0.name == name } }
    }

    public struct Column: Sendable {
        public var name: String
        public var type: String
        public var notNull: Bool
        /// `COMMENT ON COLUMN`.
        public var comment: String?
    }

    public struct ForeignKey: Sendable {
        public var name: String
        public var columns: [String]
        public var targetSchema: String
        public var targetTable: String
        public var targetColumns: [String]
    }

    public struct Function: Sendable {
        public var schema: String
        public var name: String
        /// `pg_get_function_identity_arguments`, e.g. `task public.tasks`.
        public var arguments: String
        public var returns: String
        /// Whether it returns a set of rows (`RETURNS SETOF …`).
        public var returnsSet: Bool = false
        /// `i` immutable, `s` stable, `v` volatile.
        public var volatility: String = "v"
        /// How many of its last arguments have defaults.
        public var defaults: Int = 0
        /// Its body (`prosrc`), for the settings it reads.
        public var source: String = ""
        /// `COMMENT ON FUNCTION`.
        public var comment: String?
    }

    /// What one role may do: the tables (`schema.name`) it may read and insert into, the
    /// functions (`schema.name(identity arguments)`) it may call, and the roles it is granted to.
    public struct Privileges: Sendable {
        public var selectable: Set<String> = []
        public var insertable: Set<String> = []
        public var deletable: Set<String> = []
        public var executable: Set<String> = []
        public var members: Set<String> = []
        /// The columns the role holds each column privilege on, by `PRIVILEGE schema.table`
        /// (`SELECT public.tasks`): granted on the column or on its whole table.
        public var columns: [String: Set<String>] = [:]

        /// Whether the role holds `privilege` (SELECT, INSERT or UPDATE) on `column` of `table` (`schema.name`).
        public func may(_ privilege: String, _ table: String, column: String) -> Bool {
            columns["\(privilege) \(table)"]?.contains(column) ?? false
        }
    }

    /// Tables and views by `schema.name`.
    public var tables: [String: Table] = [:]
    public var functions: [Function] = []
    /// Enum types' labels in their order, by `schema.name`.
    public var enums: [String: [String]] = [:]
    /// Domains' base types (`format_type`'s spelling), by `schema.name`.
    public var domains: [String: String] = [:]
    /// The privileges of the roles asked about, by role; a role missing here does not exist.
    public var privileges: [String: Privileges] = [:]

    public func table(_ schema: String, _ name: String) -> Table? { tables["\(schema).\(name)"] }

    /// Reads every user table, view and function (outside the system schemas), and the
    /// privileges of `roles`.
    public static func read(_ connection: PostgresConnection, privilegesOf roles: [String] = [], logger: Logger) async throws -> LiveCatalog {
        var catalog = LiveCatalog()
        let tables = try await connection.query("""
            SELECT n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity, c.relkind::text,
                   EXISTS (SELECT FROM unnest(c.reloptions) o WHERE lower(o) IN ('security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes')),
                   c.relispartition, obj_description(c.oid, 'pg_class')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, logger: logger)
        for try await (schema, name, security, forced, kind, invoker, isPartition, comment)
            in tables.decode((String, String, Bool, Bool, String, Bool, Bool, String?).self) {
            catalog.tables["\(schema).\(name)"] = Table(schema: schema, name: name, rowSecurity: security, forcedRowSecurity: forced, kind: kind,
                                                          securityInvoker: invoker, isPartition: isPartition, comment: comment)
        }
        let policies = try await connection.query("""
            SELECT n.nspname || '.' || c.relname, coalesce(pg_get_expr(p.polqual, p.polrelid), '')
            FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            """, logger: logger)
        for try await (table, expression) in policies.decode((String, String).self) where !expression.isEmpty {
            catalog.tables[table]?.policyExpressions.append(expression)
        }
        let partitions = try await connection.query("""
            SELECT pn.nspname || '.' || p.relname, cn.nspname || '.' || c.relname
            FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
            JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
            WHERE p.relkind = 'p'
            """, logger: logger)
        for try await (parent, partition) in partitions.decode((String, String).self) {
            catalog.tables[parent]?.partitions.append(partition)
        }
        let columns = try await connection.query("""
            SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, col_description(c.oid, a.attnum)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY n.nspname, c.relname, a.attnum
            """, logger: logger)
        for try await (schema, table, name, type, notNull, comment) in columns.decode((String, String, String, String, Bool, String?).self) {
            catalog.tables["\(schema).\(table)"]?.columns.append(Column(name: name, type: type, notNull: notNull, comment: comment))
        }
        let constraints = try await connection.query("""
            SELECT n.nspname, c.relname, con.conname, con.contype::text,
                   ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, position)
                         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.position),
                   coalesce(tn.nspname, ''), coalesce(t.relname, ''),
                   ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, position)
                         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.position)
            FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_class t ON t.oid = con.confrelid LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
            WHERE con.contype IN ('p', 'u', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, logger: logger)
        for try await (schema, table, name, kind, keys, targetSchema, target, targetKeys)
            in constraints.decode((String, String, String, String, [String], String, String, [String]).self) {
            let key = "\(schema).\(table)"
            switch kind {
            case "p": catalog.tables[key]?.primaryKey = keys
            case "u": catalog.tables[key]?.unique[name] = keys
            default:
                catalog.tables[key]?.foreignKeys.append(ForeignKey(
                    name: name, columns: keys, targetSchema: targetSchema, targetTable: target, targetColumns: targetKeys))
            }
        }
        // Unique indexes that back no constraint (those are read above), on columns only and without a predicate.
        let indexes = try await connection.query("""
            SELECT n.nspname, c.relname, ic.relname,
                   ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, position)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL AND 0 <> ALL (i.indkey::int2[])
              AND NOT EXISTS (SELECT FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, logger: logger)
        for try await (schema, table, name, columns) in indexes.decode((String, String, String, [String]).self) {
            catalog.tables["\(schema).\(table)"]?.unique[name] = columns
        }
        let functions = try await connection.query("""
            SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), format_type(p.prorettype, NULL),
                   p.proretset, p.provolatile::text, p.pronargdefaults::int, coalesce(p.prosrc, ''), obj_description(p.oid, 'pg_proc')
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, logger: logger)
        for try await (schema, name, arguments, returns, returnsSet, volatility, defaults, source, comment)
            in functions.decode((String, String, String, String, Bool, String, Int32, String, String?).self) {
            catalog.functions.append(Function(schema: schema, name: name, arguments: arguments, returns: returns, returnsSet: returnsSet,
                                              volatility: volatility, defaults: Int(defaults), source: source, comment: comment))
        }
        let enums = try await connection.query("""
            SELECT n.nspname || '.' || t.typname, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'e' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, logger: logger)
        for try await (name, labels) in enums.decode((String, [String]).self) { catalog.enums[name] = labels }
        let domains = try await connection.query("""
            SELECT n.nspname || '.' || t.typname, format_type(t.typbasetype, t.typtypmod)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'd' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, logger: logger)
        for try await (name, base) in domains.decode((String, String).self) { catalog.domains[name] = base }
        for role in roles { catalog.privileges[role] = try await privileges(of: role, connection, logger: logger) }
        return catalog
    }

    /// Nil when the role does not exist.
    static func privileges(of role: String, _ connection: PostgresConnection, logger: Logger) async throws -> Privileges? {
        let exists = try await connection.query("SELECT count(*)::int FROM pg_roles WHERE rolname = \(role)", logger: logger)
        for try await count in exists.decode(Int32.self) where count == 0 { return nil }
        var privileges = Privileges()
        let tables = try await connection.query("""
            SELECT n.nspname || '.' || c.relname, has_table_privilege(\(role), c.oid, 'SELECT'), has_table_privilege(\(role), c.oid, 'INSERT'),
                   has_table_privilege(\(role), c.oid, 'DELETE')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, logger: logger)
        for try await (name, select, insert, delete) in tables.decode((String, Bool, Bool, Bool).self) {
            if select { privileges.selectable.insert(name) }
            if insert { privileges.insertable.insert(name) }
            if delete { privileges.deletable.insert(name) }
        }
        let columns = try await connection.query("""
            SELECT n.nspname || '.' || c.relname, a.attname::text, has_column_privilege(\(role), c.oid, a.attnum, 'SELECT'),
                   has_column_privilege(\(role), c.oid, a.attnum, 'INSERT'), has_column_privilege(\(role), c.oid, a.attnum, 'UPDATE')
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, logger: logger)
        for try await (table, column, select, insert, update) in columns.decode((String, String, Bool, Bool, Bool).self) {
            if select { privileges.columns["SELECT \(table)", default: []].insert(column) }
            if insert { privileges.columns["INSERT \(table)", default: []].insert(column) }
            if update { privileges.columns["UPDATE \(table)", default: []].insert(column) }
        }
        let functions = try await connection.query("""
            SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND has_function_privilege(\(role), p.oid, 'EXECUTE')
            """, logger: logger)
        for try await name in functions.decode(String.self) { privileges.executable.insert(name) }
        let members = try await connection.query("""
            SELECT m.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
            WHERE r.rolname = \(role)
            """, logger: logger)
        for try await name in members.decode(String.self) { privileges.members.insert(name) }
        return privileges
    }
}
