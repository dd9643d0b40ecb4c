import Foundation
import GraphQLLanguage

// Parse throughput of Strata's GraphQL parser on the files given, one line of JSON per file:
// {"file":…,"bytes":…,"documents_per_second":…,"megabytes_per_second":…,"peak_rss_growth_bytes":…}
// scripts/bench-language runs it beside graphql-js on the same files and prints the ratios.

#if canImport(Glibc)
import Glibc
#endif

func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

let seconds = Double(ProcessInfo.processInfo.environment["BENCH_SECONDS"] ?? "3") ?? 3
for path in CommandLine.arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    let source = Source(bytes: Array(data), name: path)
    let before = peakResidentBytes()
    // Warm up, and check the document parses at all.
    do {
        _ = try Parser.parse(source, limits: .trusted)
    } catch {
        FileHandle.standardError.write(Data("\(path): \(error.message)\n".utf8))
        exit(1)
    }
    let growth = peakResidentBytes() - before
    let clock = ContinuousClock()
    var iterations = 0
    var tokens = 0
    let start = clock.now
    let deadline = start + .seconds(seconds)
    while clock.now < deadline {
        let document = try! Parser.parse(source, limits: .trusted)
        tokens &+= document.tokenCount
        iterations += 1
    }
    let elapsed = clock.now - start
    let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let perSecond = Double(iterations) / elapsedSeconds
    let megabytes = perSecond * Double(data.count) / 1_000_000
    print(#"{"file":"\#(path)","bytes":\#(data.count),"documents_per_second":\#(perSecond),"megabytes_per_second":\#(megabytes),"peak_rss_growth_bytes":\#(growth),"tokens":\#(tokens / max(iterations, 1))}"#)
}
