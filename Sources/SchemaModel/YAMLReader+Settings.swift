import Yams

/// The `auth`, `roles` and `limits` sections of `strata.yaml`.
extension YAMLReader {
    mutating func auth(_ node: Node) -> AuthSettings {
        var auth = AuthSettings()
        let fields = mapping(node, keys: ["jwt", "claims", "default_role", "anonymous_role"], context: "auth")
        if let jwt = fields["jwt"] {
            let keys = mapping(jwt, keys: ["algorithms", "secret", "jwks_file", "public_key_file", "issuer", "audience", "require_exp"],
                               context: "auth.jwt")
            if let algorithms = keys["algorithms"] {
                auth.algorithms = names(algorithms, context: "auth.jwt.algorithms").compactMap { name, node in
                    guard AuthSettings.supportedAlgorithms.contains(name) else {
                        fail(node, "unsupported JWT algorithm '\(name)'\(NameSuggestion.hint(for: name, among: AuthSettings.supportedAlgorithms)); "
                            + "expected one of: \(AuthSettings.supportedAlgorithms.joined(separator: ", "))")
                        return nil
                    }
                    return name
                }
            }
            auth.secret = keys["secret"].flatMap { string($0) }.flatMap { $0.isEmpty ? nil : $0 }
            auth.jwksFile = keys["jwks_file"].flatMap { string($0) }.flatMap { $0.isEmpty ? nil : $0 }
            auth.publicKeyFile = keys["public_key_file"].flatMap { string($0) }.flatMap { $0.isEmpty ? nil : $0 }
            auth.issuer = keys["issuer"].flatMap { string($0) }.flatMap { $0.isEmpty ? nil : $0 }
            auth.audience = keys["audience"].flatMap { string($0) }.flatMap { $0.isEmpty ? nil : $0 }
            if let required = keys["require_exp"].flatMap({ bool($0) }) { auth.requireExpiry = required }
        }
        if let claims = fields["claims"] {
            let keys = mapping(claims, keys: ["role", "tenant_id", "user_id"], context: "auth.claims")
            if let role = keys["role"].flatMap({ string($0) }) { auth.roleClaim = role }
            if let tenant = keys["tenant_id"].flatMap({ string($0) }) { auth.tenantClaim = tenant }
            if let user = keys["user_id"].flatMap({ string($0) }) { auth.userClaim = user }
        }
        auth.defaultRole = fields["default_role"].flatMap { string($0) }
        auth.anonymousRole = fields["anonymous_role"].flatMap { string($0) }
        return auth
    }

    /// `roles:` as a list of names, or a mapping of names to options (`introspection: false`).
    mutating func roles(_ node: Node) -> [RoleModel] {
        if case .mapping = node {
            return entries(node, context: "roles").map { name, key, value in
                var role = RoleModel(name: name, position: position(of: key))
                if case .scalar(let scalar) = value, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
                    return role
                }
                let options = mapping(value, keys: ["introspection", "max_depth", "max_fields"], context: "role '\(name)'")
                if let introspection = options["introspection"].flatMap({ bool($0) }) { role.allowsIntrospection = introspection }
                role.maxDepth = options["max_depth"].flatMap { positiveInt($0, "max_depth") }
                role.maxFields = options["max_fields"].flatMap { positiveInt($0, "max_fields") }
                return role
            }
        }
        return names(node, context: "roles").map { RoleModel(name: $0.name, position: position(of: $0.node)) }
    }

    mutating func limits(_ node: Node) -> RequestLimits {
        var limits = RequestLimits()
        let fields = mapping(node, keys: ["max_tokens", "max_depth", "max_fields", "statement_timeout_ms", "max_rows"], context: "limits")
        if let value = fields["max_tokens"].flatMap({ positiveInt($0, "max_tokens") }) { limits.maxTokens = value }
        if let value = fields["max_depth"].flatMap({ positiveInt($0, "max_depth") }) { limits.maxDepth = value }
        if let value = fields["statement_timeout_ms"].flatMap({ positiveInt($0, "statement_timeout_ms") }) {
            limits.statementTimeoutMilliseconds = value
        }
        limits.maxRows = fields["max_rows"].flatMap { positiveInt($0, "max_rows") }
        limits.maxFields = fields["max_fields"].flatMap { positiveInt($0, "max_fields") }
        return limits
    }
}
