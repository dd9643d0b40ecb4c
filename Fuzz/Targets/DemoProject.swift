import APISchema
import Foundation
import SchemaModel

/// The demo schema's role APIs, loaded once from the project the fuzz script names
/// (`STRATA_ROOT`, set by scripts/fuzz).
enum DemoProject {
    static let apis: [String: RoleSchema] = {
        let root = ProcessInfo.processInfo.environment["STRATA_ROOT"] ?? FileManager.default.currentDirectoryPath
        guard let project = try? SchemaProject.load(directory: root + "/schema", environment: [:]),
              let apis = try? RoleSchema.buildAll(project) else {
            FileHandle.standardError.write(Data("cannot load the demo schema under \(root)/schema\n".utf8))
            exit(2)
        }
        return apis
    }()
}
