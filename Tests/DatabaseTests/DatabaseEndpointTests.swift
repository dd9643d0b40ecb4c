import Testing
@testable import Database

@Suite("Database URLs")
struct DatabaseEndpointTests {
    @Test("a TCP URL with credentials and sslmode")
    func tcp() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://strata_authenticator:p%40ss@db.internal:6543/app?sslmode=require")
        #expect(endpoint.address == .tcp(host: "db.internal", port: 6543))
        #expect(endpoint.username == "strata_authenticator")
        #expect(endpoint.password == "p@ss")
        #expect(endpoint.database == "app")
        #expect(endpoint.tls == .require)
        #expect(!endpoint.displayName.contains("p@ss"))
    }

    @Test("libpq-style socket directory")
    func socket() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres:///strata?host=/var/run/postgresql&user=app")
        #expect(endpoint.address == .unixSocket(path: "/var/run/postgresql/.s.PGSQL.5432"))
        #expect(endpoint.username == "app")
        #expect(endpoint.tls == .disable)
    }

    @Test("TLS is preferred by default over TCP, as libpq does")
    func defaultTLS() throws {
        #expect(try DatabaseEndpoint(url: "postgresql://u@localhost/db").tls == .prefer)
    }

    @Test("bad URLs say what was expected, without echoing the password")
    func bad() {
        #expect {
            try DatabaseEndpoint(url: "mysql://u:topsecret@h/db")
        } throws: { error in
            let text = "\(error)"
            return text.contains("postgres://") && !text.contains("topsecret")
        }
        #expect(throws: DatabaseConfigurationError.self) { try DatabaseEndpoint(url: "postgres://u@h/db?sslmode=maybe") }
    }
}
