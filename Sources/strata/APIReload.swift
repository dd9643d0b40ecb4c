import APISchema
import Database
import GraphQLLanguage
import Logging
import SchemaModel
import Server

/// Rebuilds the API from the project's files — `strata.yaml`, the YAML schema, the trusted
/// documents — and swaps it in; a reload that fails keeps the API being served and logs every
/// problem at its position. What only a restart changes (where it listens, the database, the
/// pool) is named when it changed.
struct APIReload: Sendable {
    let schemaDirectory: String
    let queriesDirectory: String
    let endpoint: GraphQLEndpoint
    let pools: SessionPools
    let metrics: RequestMetrics?
    let fallbackSecret: String?
    let started: ProjectSettings
    let logger: Logger

    func callAsFunction() async {
        let project: SchemaProject
        do {
            project = try SchemaProject.load(directory: schemaDirectory)
        } catch let errors as SchemaErrors {
            return refuse(errors.description.split(separator: "\n").map(String.init))
        } catch {
            return refuse(["\(error)"])
        }
        let settings = project.settings
        let served = pools.partitions[0].configuration.roles
        let added = Set(project.roleNames).subtracting(served)
        guard added.isEmpty else {
            return refuse(["the roles \(added.sorted().joined(separator: ", ")) are new: the database pool serves the roles it started with; restart to serve them"])
        }
        let apis: [String: RoleSchema]
        do {
            apis = try RoleSchema.buildAll(project)
        } catch {
            return refuse(error.errors.map(\.message))
        }
        let limits = ParserLimits(maxTokens: settings.limits.maxTokens, maxDepth: settings.limits.maxDepth)
        var trusted = TrustedDocuments(mode: settings.trustedDocuments)
        if settings.trustedDocuments != .off {
            switch TrustedDocuments.load(directory: queriesDirectory, displayDirectory: queriesDirectory, apis: apis, limits: limits) {
            case .success(let entries): trusted = TrustedDocuments(mode: settings.trustedDocuments, entries: entries)
            case .failure(let problems): return refuse(problems.problems.map(\.description))
            }
        }
        let authenticator: TokenAuthenticator
        do {
            authenticator = try await TokenAuthenticator.make(settings: settings.auth, roles: Set(project.roleNames), requirements: project.sessionRequirements,
                                                              secret: settings.auth.secret.flatMap { $0.isEmpty ? nil : $0 } ?? fallbackSecret)
        } catch {
            return refuse(["auth settings in strata.yaml: \(error)"])
        }
        let executor = GraphQLExecutor(apis: apis, pools: pools, limits: limits, logger: logger, metrics: metrics, trusted: trusted)
        let ended = endpoint.reload(executor: executor, authenticator: authenticator, rateLimits: settings.rateLimits)
        logger.notice("reloaded: \(apis.count) role(s), \(trusted.entries.count) trusted document(s); \(ended) subscription(s) no longer valid were ended")
        if settings.databaseURL != started.databaseURL || settings.host != started.host || settings.port != started.port
            || settings.poolMode != started.poolMode || settings.resilience != started.resilience || settings.limits.statementTimeoutMilliseconds != started.limits.statementTimeoutMilliseconds {
            logger.notice("strata.yaml's database and server settings take effect at the next start")
        }
    }

    private func refuse(_ problems: [String]) {
        for problem in problems { logger.error("reload refused: \(problem)") }
        logger.error("the reload failed; the API served before it is served still")
    }
}
