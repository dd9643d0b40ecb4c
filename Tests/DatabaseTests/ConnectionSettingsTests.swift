import Database
import SQL
import Testing

@Suite("Connection settings statement")
struct ConnectionSettingsTests {
    @Test("every setting is a bind; scope decides transaction-local or session-level")
    func statement() {
        let settings = ConnectionSettings(role: "member", tenantID: "t-1", userID: "u-9", claims: #"{"sub":"u-9"}"#)
        let local = SQLRenderer.render(settings.statement(scope: .transaction))
        #expect(local.text == #"SELECT "pg_catalog"."set_config"($1, $2, TRUE), "pg_catalog"."set_config"($3, $4, TRUE), "pg_catalog"."set_config"($5, $6, TRUE), "pg_catalog"."set_config"($7, $8, TRUE), "pg_catalog"."set_config"($9, $10, TRUE)"#)
        #expect(local.binds == [
            "role", "member", "app.tenant_id", "t-1", "app.user_id", "u-9", "request.jwt.claims", #"{"sub":"u-9"}"#,
            "application_name", "strata",
        ].map { SQLBind.value(.text($0)) })
        let sessionLevel = SQLRenderer.render(settings.statement(scope: .session))
        #expect(sessionLevel.text.contains("FALSE") && !sessionLevel.text.contains("TRUE"))
    }

    @Test("an anonymous session clears tenant and user")
    func anonymous() {
        let rendered = SQLRenderer.render(ConnectionSettings(role: "anonymous", tenantID: nil, userID: nil, claims: "{}").statement(scope: .transaction))
        #expect(rendered.binds[3] == .value(.text("")))
        #expect(rendered.text.contains(#""pg_catalog"."set_config"($5, $4, TRUE)"#))
    }
}
