/// The `extensions.code` of every error Strata reports, so a client can branch on what went
/// wrong without reading messages. docs/http-api.md lists them with their HTTP status.
public enum ErrorCode {
    /// The document is not GraphQL.
    public static let parseFailed = "parse-failed"
    /// The document asks for something the role's API does not have, or breaks a rule of the
    /// specification or a depth or field-count limit.
    public static let validationFailed = "validation-failed"
    /// A variable is missing or its value does not fit its type.
    public static let invalidVariables = "invalid-variables"
    /// The request itself is unusable: no query, malformed JSON, an unknown operation name.
    public static let badRequest = "bad-request"
    /// A mutation sent with GET.
    public static let methodNotAllowed = "method-not-allowed"
    /// `Accept` names no media type the server answers in.
    public static let notAcceptable = "not-acceptable"
    /// The body is larger than the server reads.
    public static let payloadTooLarge = "payload-too-large"
    /// A POST body that is not `application/json`.
    public static let unsupportedMediaType = "unsupported-media-type"
    /// The token is missing where one is needed, malformed, expired, not yet valid, from another
    /// issuer or audience, or signed with an unknown key.
    public static let invalidJWT = "invalid-jwt"
    /// The session's role is not one the API serves.
    public static let accessDenied = "access-denied"
    /// The role may not introspect the API.
    public static let introspectionDisabled = "introspection-disabled"
    /// Over a limit on how much one tenant may hold or send (answered 429 with Retry-After).
    public static let rateLimited = "rate-limited"
    /// The operation's estimated cost (fields × depth) is over what its role may run at once.
    public static let costLimitExceeded = "cost-limit-exceeded"
    /// The request names a document the server does not hold, or sends one it does not trust
    /// while it runs trusted documents only.
    public static let persistedQueryNotFound = "persisted-query-not-found"
    /// The database refused the role something (missing grant, failed permission check).
    public static let permissionError = "permission-error"
    /// A write would duplicate a unique key or primary key (`extensions.constraint` names it).
    public static let constraintViolation = "constraint-violation"
    /// A write refers to a row that does not exist, or removes one that others refer to.
    public static let foreignKeyViolation = "foreign-key-violation"
    /// A write leaves a required column empty (`extensions.column` names it).
    public static let notNullViolation = "not-null-violation"
    /// A written row breaks a table's CHECK constraint.
    public static let checkViolation = "check-violation"
    /// A client's value was refused by the database (bad UUID text, out of range).
    public static let dataException = "data-exception"
    /// A SQL function refused the request (`RAISE EXCEPTION` in PL/pgSQL): its message is for the
    /// client, its HINT — when given — the reason, in `extensions.reason`.
    public static let rejected = "rejected"
    /// The statement ran past the statement timeout.
    public static let timeout = "timeout"
    /// The request was cancelled, as when its client hung up.
    public static let cancelled = "cancelled"
    /// The database failed the statement for another reason (details in the server log).
    public static let databaseError = "database-error"
    /// The database could not be reached (HTTP 503 with `Retry-After`).
    public static let databaseUnavailable = "database-unavailable"
    /// Every database connection stayed busy past the acquire timeout, or too many requests
    /// were waiting for one (HTTP 503 with `Retry-After`).
    public static let poolExhausted = "pool-exhausted"
    /// The request ran past the server's request timeout.
    public static let requestTimeout = "request-timeout"
    /// The server has no way to answer (details in the server log).
    public static let internalError = "internal-error"
    /// The operation kind is not served yet.
    public static let notSupported = "not-supported"
}
