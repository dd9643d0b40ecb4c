import GraphQLLanguage
import GraphQLTypeSystem
import GraphQLValidation
import Planner

/// Any bytes as `<document>\n#variables <JSON>`: parsed, validated, coerced and planned for each
/// demo role, as the server does before it touches the database.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlan(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var query = Substring(text)
    var variables: [String: JSONValue] = [:]
    if let marker = text.range(of: "\n#variables ") {
        query = text[..<marker.lowerBound]
        if case .object(let members)? = try? JSONValue.parse(String(text[marker.upperBound...]), maxDepth: 256) {
            variables = Dictionary(members, uniquingKeysWith: { $1 })
        }
    }
    guard let document = try? Parser.parse(Source(String(query)), limits: .default) else { return 0 }
    for role in ["anonymous", "member", "admin"] {
        guard let api = DemoProject.apis[role] else { continue }
        guard Validator.validate(document, against: api.schema, maxSelectionDepth: api.limits.maxDepth,
                                 maxFields: api.limits.maxFields).isEmpty,
              let operation = try? OperationSelection.select(in: document, named: nil),
              case .success = VariableCoercion(schema: api.schema).coerce(operation.variableDefinitions, inputs: variables)
        else { continue }
        _ = try? OperationPlanner.plan(document, operationName: nil, api: api, variables: variables)
    }
    return 0
}
