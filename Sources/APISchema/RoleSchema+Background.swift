import GraphQLLanguage
import SchemaModel

extension RoleSchema {
    /// The role name background work is planned under; never a role of the API.
    public static let backgroundRole = "strata_background"

    /// Every table with every column and relationship, no row filter: what event triggers'
    /// conditions, recipients and payloads are planned against. Row-level security still holds
    /// where they run.
    public static func background(_ project: SchemaProject) throws(GraphQLErrors) -> RoleSchema {
        try build(project.readingEverything(as: backgroundRole), role: backgroundRole)
    }
}
