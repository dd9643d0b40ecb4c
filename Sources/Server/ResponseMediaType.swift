/// The two response types GraphQL over HTTP defines, chosen from the request's `Accept`.
public enum ResponseMediaType: String, Sendable {
    /// Status codes tell request errors (400) from results (200).
    case graphQLResponse = "application/graphql-response+json"
    /// For clients that know only JSON: every GraphQL result is a 200.
    case json = "application/json"

    /// The preferred type the client accepts; nil when it accepts neither. No `Accept` at all
    /// counts as `application/json`, as the specification asks for older clients.
    public static func negotiate(accept: String?) -> ResponseMediaType? {
        guard let accept, !HeaderValue.trimmed(accept[...]).isEmpty else { return .json }
        var best: (type: ResponseMediaType, quality: Double)?
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { HeaderValue.trimmed($0).lowercased() }
            guard let range = parts.first else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 1
            }
            guard quality > 0 else { continue }
            let candidates: [ResponseMediaType] = switch range {
            case "application/graphql-response+json": [.graphQLResponse]
            case "application/json": [.json]
            case "application/*", "*/*": [.graphQLResponse]
            default: []
            }
            for candidate in candidates where best.map({ quality > $0.quality }) ?? true {
                best = (candidate, quality)
            }
        }
        return best?.type
    }
}
