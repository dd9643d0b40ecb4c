import GraphQLLanguage
import GraphQLTypeSystem
import SchemaModel

/// The GraphQL API one role sees: only the tables, columns, relationships and operations its
/// permissions allow, named as Hasura names them (`tasks`, `tasks_by_pk`, `tasks_bool_exp`, …).
public struct RoleSchema: Sendable {
    public let role: String
    /// The schema as SDL, in canonical print.
    public let sdl: String
    public let schema: GraphQLSchema
    /// Whether `__schema` and `__type` answer for this role.
    public let allowsIntrospection: Bool
    /// Every table of the project as this role sees it, by API name; the planner reads
    /// columns, relationships and permissions from here.
    public let tables: [String: TableView]
    /// Request limits (rows, depth, statement timeout) from the project's settings, with this
    /// role's own depth and field bounds where it sets them.
    public let limits: RequestLimits
    /// The SQL functions this role may call, by root field name.
    public let functions: [String: FunctionModel]
    /// The domain event types this role may follow on event channels, sorted.
    public let domainEvents: [String]

    /// Builds the API of `role`, which must be one of the project's roles.
    public static func build(_ project: SchemaProject, role: String) throws(GraphQLErrors) -> RoleSchema {
        var builder = RoleSchemaBuilder(project: project, role: role)
        let sdl = builder.sdl()
        let document: Document
        do {
            document = try Parser.parse(Source(sdl, name: "the API of role '\(role)'"), limits: .trusted)
        } catch {
            throw GraphQLErrors([error])
        }
        let schema = try SchemaBuilder.build(document)
        let model = project.settings.roles.first { $0.name == role }
        var limits = project.settings.limits
        if let depth = model?.maxDepth { limits.maxDepth = depth }
        if let fields = model?.maxFields { limits.maxFields = fields }
        return RoleSchema(role: role, sdl: Printer.print(document) + "\n", schema: schema, allowsIntrospection: model?.allowsIntrospection ?? true,
                          tables: builder.views, limits: limits, functions: builder.functions,
                          domainEvents: project.settings.domainEventRoles.filter { $0.value.contains(role) }.keys.sorted())
    }

    /// Every role's API.
    public static func buildAll(_ project: SchemaProject) throws(GraphQLErrors) -> [String: RoleSchema] {
        var result: [String: RoleSchema] = [:]
        for role in project.roleNames {
            result[role] = try build(project, role: role)
        }
        return result
    }
}

/// Writes a role's API as SDL, table by table.
struct RoleSchemaBuilder {
    let project: SchemaProject
    let role: String
    let views: [String: TableView]
    /// The functions the role may call: it is among their roles and may read their rows.
    let functions: [String: FunctionModel]
    var writer = SDLWriter()

    init(project: SchemaProject, role: String) {
        self.project = project
        self.role = role
        let selectable = Set(project.tables.filter { $0.permissions[role]?.select != nil }.map(\.name))
        var views: [String: TableView] = [:]
        for table in project.tables {
            views[table.name] = TableView(table, role: role, selectable: selectable)
        }
        self.views = views
        var functions: [String: FunctionModel] = [:]
        for function in project.functions where function.roles.contains(role) && selectable.contains(function.returns) {
            functions[function.name] = function
        }
        self.functions = functions
    }

    /// Tables in file order, as this role sees them.
    var tables: [TableView] { project.tables.compactMap { views[$0.name] } }

    mutating func sdl() -> String {
        var queries: [SDLWriter.Field] = []
        var mutations: [SDLWriter.Field] = []
        var subscriptions: [SDLWriter.Field] = []
        for view in tables {
            let fields = queryFields(view)
            queries += fields
            // A live query is refreshed by the table's change events: only a table whose every
            // write is captured can be subscribed to.
            if view.table.capturesEveryWrite {
                subscriptions += fields
                if let stream = streamField(view) { subscriptions.append(stream) }
            }
            mutations += mutationFields(view)
        }
        for function in project.functions where functions[function.name] != nil {
            guard let field = functionField(function) else { continue }
            switch function.exposedAs {
            case .query: queries.append(field)
            case .mutation: mutations.append(field)
            }
        }
        if queries.isEmpty {
            queries = [SDLWriter.Field("no_queries_available", "String!",
                                       description: "This role may not read any table; the field answers null.")]
        }
        writer.object("query_root", description: "The tables \(role) may read.", fields: queries.sorted { $0.name < $1.name })
        if !mutations.isEmpty {
            writer.object("mutation_root", description: "The writes \(role) may make.", fields: mutations.sorted { $0.name < $1.name })
        }
        if !subscriptions.isEmpty {
            subscriptions.append(eventChannelField())
            writer.object("subscription_root", description: "What \(role) may subscribe to: live queries, which answer at once and then whenever their result changes, and streams of rows in cursor order.",
                          fields: subscriptions.sorted { $0.name < $1.name })
        }
        writer.schema(query: "query_root", mutation: mutations.isEmpty ? nil : "mutation_root",
                      subscription: subscriptions.isEmpty ? nil : "subscription_root")
        return writer.text
    }

    /// The scalar of a column type, defining a custom scalar the first time it is used.
    mutating func scalar(_ type: ColumnType) -> String {
        if let element = type.element { return "[" + scalar(element) + "]" }
        let name = ScalarNames.name(of: type)
        if let declared = type.declared, let labels = declared.labels {
            if declared.asScalar {
                writer.scalar(name, description: "The PostgreSQL enum \(declared.name): one of \(labels.map { "'\($0)'" }.joined(separator: ", ")).", specifiedBy: nil)
            } else {
                writer.enumeration(name, description: "The PostgreSQL enum \(declared.name).", values: labels.map { ($0, nil) })
            }
            return name
        }
        if !ScalarNames.builtIn.contains(name), !writer.has(name) {
            let definition = ScalarNames.definition(of: name)
            writer.scalar(name, description: definition.description, specifiedBy: definition.url)
        }
        return name
    }

    /// `name!` unless the column may hold null.
    mutating func outputType(_ column: ColumnModel) -> String {
        scalar(column.type) + (column.isNullable ? "" : "!")
    }
}
