import APISchema
import Foundation
import GraphQLLanguage
import GraphQLTypeSystem
import GraphQLValidation
import Planner
import SchemaModel
import TestSupport
import Testing

/// One operation under `Golden/`: `<name>.graphql` opens with `# key: value` lines saying who
/// runs it (`role`, `tenant` acme|globex|initech — the last one seeded past every row cap —, `user`), its `variables` (JSON) and `operation` name,
/// and on which project's API (`project: types` for `TypesProject/`, a column of every type; the demo otherwise).
/// `<name>.sql` holds its planned statement and parameters, `<name>.json` its result on the
/// seeded database.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let role: String
    let tenant: String
    let user: String?
    let variables: [String: JSONValue]
    let operationName: String?
    var project = "demo"

    var testDescription: String { name }

    static let directory = ProjectFiles.root + "/Tests/PlannerTests/Golden"
    static let tenants = ["acme": DemoTenants.acme, "globex": DemoTenants.globex, "initech": "00000000-0000-4000-8000-000000000003"]

    static let all: [GoldenCase] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".graphql") }.sorted().map { file in
            let text = (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? ""
            var header: [String: String] = [:]
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                guard line.hasPrefix("# "), let colon = line.firstIndex(of: ":") else { break }
                let key = line[line.index(line.startIndex, offsetBy: 2)..<colon].trimmingCharacters(in: .whitespaces)
                header[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let variables: [String: JSONValue]
            if let json = header["variables"], case .object(let members)? = try? JSONValue.parse(json) {
                variables = Dictionary(members, uniquingKeysWith: { $1 })
            } else {
                variables = [:]
            }
            return GoldenCase(name: String(file.dropLast(".graphql".count)), text: text, role: header["role"] ?? "member",
                              tenant: tenants[header["tenant"] ?? "acme"] ?? DemoTenants.acme,
                              user: header["user"], variables: variables, operationName: header["operation"], project: header["project"] ?? "demo")
        }
    }()

    var session: Session {
        Session(role: role, tenantID: tenant, userID: user,
                claimsJSON: "{\"sub\":\(user.map { "\"\($0)\"" } ?? "null"),\"role\":\"\(role)\",\"tenant_id\":\"\(tenant)\"}")
    }

    /// Parses, validates, coerces the variables and plans, as the server does.
    func plan() throws -> QueryPlan {
        let api = try DemoAPI.role(role, project: project)
        let document = try Parser.parse(Source(text, name: name + ".graphql"))
        let errors = Validator.validate(document, against: api.schema)
        guard errors.isEmpty else { throw GraphQLErrors(errors) }
        let operation = try OperationSelection.select(in: document, named: operationName)
        _ = try VariableCoercion(schema: api.schema).coerce(operation.variableDefinitions, inputs: variables).get()
        return try OperationPlanner.plan(document, operationName: operationName, api: api, variables: variables)
    }

    func file(_ suffix: String) -> String { Self.directory + "/" + name + suffix }

    /// Compares `actual` with the stored file, or writes it when `STRATA_UPDATE_GOLDEN=1`.
    func golden(_ suffix: String, _ actual: String) throws -> (expected: String, actual: String) {
        let path = file(suffix)
        if ProcessInfo.processInfo.environment["STRATA_UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(missing \(name + suffix))"
        return (expected, actual)
    }
}

/// The role APIs of the demo schema and of the golden types project, built once.
enum DemoAPI {
    static let project: SchemaProject? = try? SchemaProject.load(directory: ProjectFiles.root + "/schema", environment: [:])
    static let typesDirectory = ProjectFiles.root + "/Tests/PlannerTests/TypesProject"

    private static let roles: [String: RoleSchema] = {
        guard let project else { return [:] }
        return (try? RoleSchema.buildAll(project)) ?? [:]
    }()

    private static let typesRoles: Result<[String: RoleSchema], any Error> = Result {
        try RoleSchema.buildAll(try SchemaProject.load(directory: typesDirectory + "/schema", environment: [:]))
    }

    static func role(_ name: String, project: String = "demo") throws -> RoleSchema {
        let apis = project == "types" ? try typesRoles.get() : roles
        guard let api = apis[name] else { throw GraphQLErrors([GraphQLError("no role \(name) in the \(project) schema")]) }
        return api
    }
}

extension QueryPlan {
    /// The statement and what each placeholder is bound to, as golden files show them.
    var goldenText: String {
        switch body {
        case .constant(let data):
            return "-- answered without SQL\n" + data.serialized + "\n"
        case .statement, .mutation:
            return statements.map { statement in
                var text = statement.sql + "\n"
                for (index, parameter) in statement.parameters.enumerated() {
                    text += "-- $\(index + 1) = \(parameter)\n"
                }
                return text
            }.joined(separator: "\n")
        }
    }
}
