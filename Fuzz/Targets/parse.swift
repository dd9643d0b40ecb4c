import GraphQLLanguage

/// Any bytes as a GraphQL document: parsed with the server's limits, printed back when valid.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParse(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let document = try? Parser.parse(Source(text), limits: .default) {
        _ = Printer.print(document)
    }
    return 0
}
