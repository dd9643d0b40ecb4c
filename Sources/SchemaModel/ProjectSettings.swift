import Foundation
import Yams

/// Project-wide settings from `schema/strata.yaml`: where the database is and how to serve.
///
/// ```yaml
/// database:
///   url: ${DATABASE_URL:-}      # empty: use the embedded PostgreSQL
///   pool_mode: session          # or transaction, behind PgBouncer's transaction pooling
/// server:
///   host: 127.0.0.1
///   port: 8080
/// ```
public struct ProjectSettings: Sendable, Equatable {
    /// How request settings reach a pooled connection.
    public enum PoolMode: String, Sendable, CaseIterable {
        /// Settings stay on the connection between requests and are re-set only when a
        /// request needs others: the fewest round trips.
        case session
        /// Every request runs in `BEGIN … COMMIT` with transaction-local settings, so nothing
        /// outlives it: for PgBouncer's transaction pooling.
        case transaction
    }

    public var databaseURL: String?
    /// Whether a browser's `GET /graphql` gets the GraphiQL page (`server.console`); nil: the
    /// command decides (on in `strata dev`, off in `strata serve`).
    public var console: Bool?
    public var poolMode = PoolMode.session
    public var host: String?
    public var port: Int?
    public var auth = AuthSettings()
    /// The roles the API serves, in the order written.
    public var roles: [RoleModel] = []
    /// The project's own PostgreSQL types (`types:`), by name as written.
    public var types: [String: DeclaredType] = [:]
    /// The transaction setting that holds the request's tenant.
    public var tenantSetting = "app.tenant_id"
    public var limits = RequestLimits()
    /// Which documents clients may run (`trusted_documents`).
    public var trustedDocuments = TrustedDocumentsMode.off
    /// Rate limits by role (`rate_limits`); a role without an entry is not limited.
    public var rateLimits: [String: RoleRateLimits] = [:]
    public var resilience = Resilience()
    /// How long change events are kept for event channels' replay; older ones no handler still
    /// needs are trimmed.
    public var eventRetentionHours = 168
    /// The PostgreSQL role event triggers run as (`SET LOCAL ROLE`), under the event's tenant;
    /// the login role must be a member of it.
    public var eventRole: String?
    /// Where `events.role` is written, for errors about it.
    public var eventRolePosition: SourcePosition?
    /// Triggers on named domain events, from `events.triggers`.
    public var domainTriggers: [EventTrigger] = []
    /// The roles that may follow each domain event type on event channels, from `events.channels`.
    public var domainEventRoles: [String: [String]] = [:]
    /// Cron and interval schedules, from `schedules:`.
    public var schedules: [Schedule] = []
    /// The API name of the table listing the tenants (`tenancy.tenants`), for schedules run
    /// once per tenant.
    public var tenantsTable: String?
    /// Where request spans are exported (`tracing:`).
    public var tracing = TracingSettings()

    /// How the server behaves when the database is slow, saturated or gone, and how long it
    /// gives in-flight requests at shutdown.
    public struct Resilience: Sendable, Equatable {
        /// Longest a request waits for a free connection before a 503 `pool-exhausted`.
        public var acquireTimeoutMilliseconds = 2_000
        /// The most requests waiting for a connection; more get a 503 at once.
        public var maximumWaiting = 1_024
        /// Consecutive connection failures, within `breakerWindowMilliseconds`, that open the
        /// circuit breaker; while open, requests get a 503 at once and one probe per
        /// `breakerProbeMilliseconds` tries the database.
        public var breakerFailures = 5
        public var breakerWindowMilliseconds = 30_000
        public var breakerProbeMilliseconds = 250
        /// How long SIGTERM waits for in-flight requests before cancelling them.
        public var drainTimeoutMilliseconds = 10_000
        /// The most bytes a request's header fields may take; more is answered 431.
        public var maximumHeaderBytes = 16 * 1_024
        /// How long a request head may take once its first bytes arrived (slowloris).
        public var requestHeadTimeoutMilliseconds = 10_000
        /// How long a connection with no request under way may stay silent.
        public var idleTimeoutMilliseconds = 75_000
        /// The longest a request may take once it reaches the database, all its statements
        /// and waits together; then it is stopped and rolled back (`request-timeout`).
        public var requestTimeoutMilliseconds = 30_000
        /// How long a new WebSocket connection has to send `connection_init`.
        public var websocketInitTimeoutMilliseconds = 3_000
        /// How often the server pings a WebSocket connection; two pings unanswered close it.
        public var websocketPingIntervalMilliseconds = 30_000
        /// The most WebSocket connections one tenant may hold at once.
        public var websocketMaxConnectionsPerTenant = 1_000
        /// The most subscription messages per second one tenant's connections are sent together.
        public var websocketMaxMessagesPerSecondPerTenant = 200
        /// Operations taking longer are logged at warning with their plan's fingerprint.
        public var slowOperationMilliseconds = 1_000

        public init() {}
    }

    public init(databaseURL: String? = nil, host: String? = nil, port: Int? = nil) {
        self.databaseURL = databaseURL
        self.host = host
        self.port = port
    }

    /// Loads `file`, or returns empty settings when it does not exist.
    public static func load(file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ProjectSettings {
        guard let data = FileManager.default.contents(atPath: file) else { return ProjectSettings() }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SchemaErrors([SchemaError(file: file, line: 1, column: 1, message: "is not UTF-8 text")])
        }
        return try parse(text, file: file, environment: environment)
    }

    public static func parse(_ text: String, file: String, environment: [String: String]) throws -> ProjectSettings {
        var reader = YAMLReader(file: file, environment: environment)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw SchemaErrors([YAMLReader.syntaxError(error, file: file)])
        }
        var settings = ProjectSettings()
        if let root {
            let sections = reader.mapping(root, keys: ["database", "server", "auth", "roles", "tenancy", "limits", "rate_limits", "trusted_documents",
                                                       "events", "schedules", "tracing", "types"],
                                          context: "the settings file")
            if let database = sections["database"] {
                let fields = reader.mapping(database, keys: ["url", "pool_mode", "acquire_timeout_ms", "max_waiting", "circuit_breaker"],
                                            context: "database")
                var resilience = settings.resilience
                reader.positiveInts(fields, into: &resilience, ["acquire_timeout_ms": \.acquireTimeoutMilliseconds, "max_waiting": \.maximumWaiting])
                if let breaker = fields["circuit_breaker"] {
                    let keys = reader.mapping(breaker, keys: ["failures", "window_ms", "probe_interval_ms"], context: "database.circuit_breaker")
                    reader.positiveInts(keys, into: &resilience, ["failures": \.breakerFailures, "window_ms": \.breakerWindowMilliseconds,
                                                                  "probe_interval_ms": \.breakerProbeMilliseconds])
                }
                settings.resilience = resilience
                settings.databaseURL = fields["url"].flatMap { reader.string($0) }.flatMap { $0.isEmpty ? nil : $0 }
                if let node = fields["pool_mode"], let text = reader.string(node) {
                    if let mode = PoolMode(rawValue: text) {
                        settings.poolMode = mode
                    } else {
                        reader.fail(node, "pool_mode must be session or transaction, got '\(text)'")
                    }
                }
            }
            if let server = sections["server"] {
                let fields = reader.mapping(server, keys: ["host", "port", "drain_timeout_ms", "max_header_bytes", "request_head_timeout_ms",
                                                                   "request_timeout_ms", "idle_timeout_ms", "websocket_init_timeout_ms",
                                                                   "websocket_ping_interval_ms", "websocket_max_connections_per_tenant",
                                                                   "websocket_max_messages_per_second_per_tenant", "slow_operation_ms", "console"],
                                            context: "server")
                reader.positiveInts(fields, into: &settings.resilience, [
                    "max_header_bytes": \.maximumHeaderBytes, "request_head_timeout_ms": \.requestHeadTimeoutMilliseconds,
                    "drain_timeout_ms": \.drainTimeoutMilliseconds, "request_timeout_ms": \.requestTimeoutMilliseconds,
                    "idle_timeout_ms": \.idleTimeoutMilliseconds, "websocket_init_timeout_ms": \.websocketInitTimeoutMilliseconds,
                    "websocket_ping_interval_ms": \.websocketPingIntervalMilliseconds,
                    "websocket_max_connections_per_tenant": \.websocketMaxConnectionsPerTenant,
                    "websocket_max_messages_per_second_per_tenant": \.websocketMaxMessagesPerSecondPerTenant,
                    "slow_operation_ms": \.slowOperationMilliseconds,
                ])
                settings.host = fields["host"].flatMap { reader.string($0) }
                settings.console = fields["console"].flatMap { reader.bool($0) }
                settings.port = fields["port"].flatMap { reader.port($0) }
            }
            if let auth = sections["auth"] { settings.auth = reader.auth(auth) }
            if let roles = sections["roles"] { settings.roles = reader.roles(roles) }
            if let types = sections["types"] { settings.types = reader.declaredTypes(types) }
            if let tenancy = sections["tenancy"] {
                let fields = reader.mapping(tenancy, keys: ["setting", "tenants"], context: "tenancy")
                if let setting = fields["setting"].flatMap({ reader.string($0) }) { settings.tenantSetting = setting }
                settings.tenantsTable = fields["tenants"].flatMap { reader.string($0) }
            }
            if let limits = sections["limits"] { settings.limits = reader.limits(limits) }
            if let node = sections["trusted_documents"], let text = reader.string(node) {
                if let mode = TrustedDocumentsMode(rawValue: text) {
                    settings.trustedDocuments = mode
                } else {
                    reader.fail(node, "trusted_documents must be off, allow or require, got '\(text)'")
                }
            }
            if let rateLimits = sections["rate_limits"] {
                settings.rateLimits = reader.rateLimits(rateLimits)
                let declared = Set(settings.roles.map(\.name))
                for limit in settings.rateLimits.values.sorted(by: { $0.role < $1.role }) where !declared.isEmpty && !declared.contains(limit.role) {
                    reader.fail(at: limit.position, "rate_limits names the role '\(limit.role)', which roles: does not declare"
                                + NameSuggestion.hint(for: limit.role, among: declared.sorted()))
                }
            }
            if let tracing = sections["tracing"] { settings.tracing = reader.tracing(tracing) }
            if let schedules = sections["schedules"] { settings.schedules = reader.schedules(schedules) }
            if let events = sections["events"] {
                let fields = reader.mapping(events, keys: ["retention_hours", "role", "triggers", "channels"], context: "events")
                if let triggers = fields["triggers"] { settings.domainTriggers = reader.domainTriggers(triggers) }
                if let channels = fields["channels"] { settings.domainEventRoles = reader.domainChannels(channels) }
                reader.positiveInts(fields, into: &settings, ["retention_hours": \.eventRetentionHours])
                if let role = fields["role"] {
                    settings.eventRole = reader.string(role).flatMap { $0.isEmpty ? nil : $0 }
                    settings.eventRolePosition = reader.position(of: role)
                }
            }
        }
        guard reader.errors.isEmpty else {
            throw SchemaErrors(reader.errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return settings
    }
}

/// `trusted_documents` in `strata.yaml`: whether clients may name the project's trusted
/// documents (`queries/*.graphql`) by hash, and whether they may send anything else.
public enum TrustedDocumentsMode: String, Sendable, Equatable {
    /// Documents are sent as text; a hash names nothing.
    case off
    /// Trusted documents by hash, and any other document as text.
    case allow
    /// Trusted documents only: anything else is refused before it is parsed.
    case require
}
