import Foundation
import GraphQLLanguage
import GraphQLTypeSystem
import GraphQLValidation

// Throughput of Strata's GraphQL front end, one line of JSON per measurement; scripts/bench-language
// runs it beside graphql-js on the same inputs and prints the ratios.
//   strata-bench-language FILE…                      parse each file
//   strata-bench-language --validate SCHEMA QUERY    validate QUERY (already parsed) against SCHEMA

#if canImport(Glibc)
import Glibc
#endif

func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

let seconds = Double(ProcessInfo.processInfo.environment["BENCH_SECONDS"] ?? "3") ?? 3

/// Runs `body` repeatedly for the configured time; returns runs per second.
func measure(_ body: () -> Void) -> Double {
    body()
    let clock = ContinuousClock()
    var iterations = 0
    let start = clock.now
    let deadline = start + .seconds(seconds)
    while clock.now < deadline {
        body()
        iterations += 1
    }
    let elapsed = clock.now - start
    return Double(iterations) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

func read(_ path: String) -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    return data
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--validate", arguments.count == 3 {
    let schema = try SchemaBuilder.build(sdl: String(decoding: read(arguments[1]), as: UTF8.self))
    let document = try Parser.parse(Source(bytes: Array(read(arguments[2]))))
    let errors = Validator.validate(document, against: schema)
    guard errors.isEmpty else {
        FileHandle.standardError.write(Data("the benchmark operation is invalid: \(errors.map(\.message))\n".utf8))
        exit(1)
    }
    let perSecond = measure { _ = Validator.validate(document, against: schema) }
    print(#"{"file":"\#(arguments[2])","validations_per_second":\#(perSecond),"microseconds":\#(1e6 / perSecond)}"#)
    exit(0)
}

for path in arguments {
    let data = read(path)
    let source = Source(bytes: Array(data), name: path)
    let before = peakResidentBytes()
    let treeBytes: Int
    do {
        treeBytes = try Parser.parse(source, limits: .trusted).tree.storageBytes
    } catch {
        FileHandle.standardError.write(Data("\(path): \(error.message)\n".utf8))
        exit(1)
    }
    let growth = peakResidentBytes() - before
    let perSecond = measure { _ = try! Parser.parse(source, limits: .trusted) }
    let megabytes = perSecond * Double(data.count) / 1_000_000
    print(#"{"file":"\#(path)","bytes":\#(data.count),"documents_per_second":\#(perSecond),"megabytes_per_second":\#(megabytes),"tree_bytes":\#(treeBytes),"peak_rss_growth_bytes":\#(growth)}"#)
}
