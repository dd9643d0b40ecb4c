import GraphQLLanguage
import GraphQLValidation

/// Any bytes as a document, parsed and validated against the demo admin API, as the server does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzValidate(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let api = DemoProject.apis["admin"], let document = try? Parser.parse(Source(text), limits: .default) else { return 0 }
    _ = Validator.validate(document, against: api.schema, maxSelectionDepth: api.limits.maxDepth, maxFields: api.limits.maxFields)
    return 0
}
