/// The two response types GraphQL over HTTP defines, chosen from the request's `Accept`.
public enum ResponseMediaType: String, Sendable {
    /// Status codes tell request errors (400) from results (200).
    case graphQLResponse = "application/graphql-response+json"
    /// For clients that know only JSON: every GraphQL result is a 200.
    case json = "application/json"

    /// The preferred type the client accepts; nil when it accepts neither. No `Accept` at all,
    /// or only a wildcard (`*/*`, `application/*`), counts as `application/json`, as the
    /// specification asks for older clients; a type named outright wins over a wildcard of the
    /// same quality.
    public static func negotiate(accept: String?) -> ResponseMediaType? {
        guard let accept, !HeaderValue.trimmed(accept[...]).isEmpty else { return .json }
        var best: (type: ResponseMediaType, quality: Double, named: Bool)?
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { HeaderValue.trimmed($0).lowercased() }
            guard let range = parts.first else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)).map { min(max($0, 0), 1) } ?? 1
            }
            guard quality > 0 else { continue }
            let candidate: (ResponseMediaType, Bool)? = switch range {
            case "application/graphql-response+json": (.graphQLResponse, true)
            case "application/json": (.json, true)
            case "application/*", "*/*": (.json, false)
            default: nil
            }
            guard let (type, named) = candidate else { continue }
            let better = best.map { quality > $0.quality || (quality == $0.quality && named && !$0.named) } ?? true
            if better { best = (type, quality, named) }
        }
        return best?.type
    }
}
