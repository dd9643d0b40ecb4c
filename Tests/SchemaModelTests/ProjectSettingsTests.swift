import Testing
@testable import SchemaModel

@Suite("strata.yaml settings")
struct ProjectSettingsTests {
    @Test("reads database and server settings, substituting the environment")
    func reads() throws {
        let yaml = """
            database:
              url: postgres://strata_authenticator:${DB_PASSWORD}@db:5432/app
            server:
              host: 0.0.0.0
              port: ${PORT:-9090}
            """
        let settings = try ProjectSettings.parse(yaml, file: "schema/strata.yaml", environment: ["DB_PASSWORD": "s3cret"])
        #expect(settings == ProjectSettings(
            databaseURL: "postgres://strata_authenticator:s3cret@db:5432/app", host: "0.0.0.0", port: 9090))
    }

    @Test("an empty URL means the embedded database")
    func emptyURL() throws {
        let settings = try ProjectSettings.parse("database:\n  url: ${DATABASE_URL:-}\n", file: "s.yaml", environment: [:])
        #expect(settings.databaseURL == nil)
    }

    @Test("pool_mode selects transaction-local settings, and names what it accepts when wrong")
    func poolMode() throws {
        let settings = try ProjectSettings.parse("database:\n  pool_mode: transaction\n", file: "s.yaml", environment: [:])
        #expect(settings.poolMode == .transaction)
        #expect(try ProjectSettings.parse("server: {}\n", file: "s.yaml", environment: [:]).poolMode == .session)
        #expect {
            try ProjectSettings.parse("database:\n  pool_mode: statement\n", file: "s.yaml", environment: [:])
        } throws: { error in
            (error as? SchemaErrors)?.description == "s.yaml:2:14: pool_mode must be session or transaction, got 'statement'"
        }
    }

    @Test("every problem is reported with file, line, column and a suggestion")
    func errors() {
        let yaml = """
            databse:
              url: x
            server:
              port: 99999
              hots: localhost
            """
        do {
            _ = try ProjectSettings.parse(yaml, file: "schema/strata.yaml", environment: [:])
            Issue.record("expected errors")
        } catch let error as SchemaErrors {
            #expect(error.errors.map(\.description) == [
                "schema/strata.yaml:1:1: unknown key 'databse' in the settings file (did you mean 'database'?); expected one of: database, server, auth, roles, tenancy, limits, rate_limits, trusted_documents, events, schedules, tracing, types",
                "schema/strata.yaml:4:9: port must be a whole number from 0 to 65535, got '99999'",
                "schema/strata.yaml:5:3: unknown key 'hots' in server (did you mean 'host'?); expected one of: host, port, drain_timeout_ms, max_header_bytes, request_head_timeout_ms, request_timeout_ms, idle_timeout_ms, websocket_init_timeout_ms, websocket_ping_interval_ms, websocket_max_connections_per_tenant, websocket_max_messages_per_second_per_tenant, slow_operation_ms, console",
            ])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("an unset variable without a default is an error at its value")
    func unsetVariable() {
        #expect {
            try ProjectSettings.parse("database:\n  url: ${MISSING_URL}\n", file: "s.yaml", environment: [:])
        } throws: { error in
            (error as? SchemaErrors)?.description == "s.yaml:2:8: environment variable 'MISSING_URL' is not set (write ${MISSING_URL:-default} to allow that)"
        }
    }

    @Test("YAML syntax errors carry their position")
    func syntax() {
        #expect {
            try ProjectSettings.parse("server:\n  port: [1, 2\n", file: "s.yaml", environment: [:])
        } throws: { error in
            guard let first = (error as? SchemaErrors)?.errors.first else { return false }
            return first.file == "s.yaml" && first.line >= 2 && first.message.hasPrefix("YAML syntax error")
        }
    }
}

@Suite("strata.yaml resilience settings")
struct ResilienceSettingsTests {
    @Test("acquire timeout, waiting bound, circuit breaker and drain timeout are read, with defaults otherwise")
    func resilience() throws {
        let defaults = try ProjectSettings.parse("server: { port: 1 }", file: "strata.yaml", environment: [:]).resilience
        #expect(defaults == ProjectSettings.Resilience())
        let yaml = """
            database:
              acquire_timeout_ms: 250
              max_waiting: 10
              circuit_breaker: { failures: 3, window_ms: 1000, probe_interval_ms: 200 }
            server:
              drain_timeout_ms: 4000
            """
        let settings = try ProjectSettings.parse(yaml, file: "strata.yaml", environment: [:]).resilience
        #expect(settings.acquireTimeoutMilliseconds == 250 && settings.maximumWaiting == 10)
        #expect(settings.breakerFailures == 3 && settings.breakerWindowMilliseconds == 1_000 && settings.breakerProbeMilliseconds == 200)
        #expect(settings.drainTimeoutMilliseconds == 4_000)
        #expect(throws: SchemaErrors.self) {
            _ = try ProjectSettings.parse("database: { circuit_breaker: { failure: 3 } }", file: "strata.yaml", environment: [:])
        }
    }
}
