import Foundation
import SchemaModel

/// The demo project's schema files, as tests load them.
public enum DemoSchema {
    /// The demo project with `triggers` (YAML indented under `triggers:`) added to the end of
    /// tasks' file, as an author would write them.
    public static func addingTaskTriggers(_ triggers: String) throws -> SchemaProject {
        let directory = ProjectFiles.root + "/schema"
        let settings = try ProjectSettings.load(file: directory + "/strata.yaml", environment: [:])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/tables").filter { $0.hasSuffix(".yaml") }.sorted()
        let files = try names.map { name -> (path: String, text: String) in
            let text = try String(contentsOfFile: directory + "/tables/" + name, encoding: .utf8)
            return ("schema/tables/" + name, name == "tasks.yaml" ? text + triggers : text)
        }
        return try SchemaProject.parse(settings: settings, files: files)
    }
}
