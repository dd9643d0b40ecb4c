/// Expands `${NAME}` and `${NAME:-default}` in YAML scalars from the process environment.
struct EnvironmentSubstitution {
    let environment: [String: String]

    enum Failure: Error, Equatable {
        case undefined(String)
        case unterminated
    }

    func expand(_ text: String) -> Result<String, Failure> {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { return .failure(.unterminated) }
            let body = rest[start.upperBound..<end]
            if let separator = body.range(of: ":-") {
                let name = String(body[..<separator.lowerBound])
                let value = environment[name] ?? ""
                result += value.isEmpty ? String(body[separator.upperBound...]) : value
            } else {
                guard let value = environment[String(body)] else { return .failure(.undefined(String(body))) }
                result += value
            }
            rest = rest[rest.index(after: end)...]
        }
        return .success(result + rest)
    }
}
