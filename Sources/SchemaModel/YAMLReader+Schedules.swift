import Foundation
import Yams

/// `schedules:` of strata.yaml.
extension YAMLReader {
    mutating func schedules(_ node: Node) -> [Schedule] {
        entries(node, context: "schedules").compactMap { name, key, value -> Schedule? in
            guard isGraphQLName(name, at: key, what: "a schedule's name") else { return nil }
            let context = "schedule '\(name)'"
            let fields = mapping(value, keys: ["every", "cron", "per_tenant", "sql", "webhook"], context: context)
            var timing = Schedule.Timing.onDemand
            switch (fields["every"], fields["cron"]) {
            case (let every?, nil):
                guard let text = string(every), let seconds = Self.seconds(text) else {
                    fail(every, "'every' is a duration such as 30s, 5m, 1h or 1d (or a number of seconds)")
                    return nil
                }
                timing = .every(seconds: seconds)
            case (nil, let cron?):
                guard let text = string(cron) else { return nil }
                switch Result(catching: { () throws(CronExpression.Invalid) in try CronExpression(text) }) {
                case .success(let expression): timing = .cron(expression)
                case .failure(let error):
                    fail(cron, "\(error.description) (\(context))")
                    return nil
                }
            case (nil, nil):
                break
            default:
                fail(key, "\(context) has both 'every' and 'cron'; keep one")
                return nil
            }
            let action: Schedule.Action?
            switch (fields["sql"], fields["webhook"]) {
            case (let sql?, nil):
                var repeats = false
                var sqlNode = sql
                if case .mapping(let members) = sql, let flag = members["repeat"] {
                    repeats = bool(flag) ?? false
                    var rest = members
                    rest["repeat"] = nil
                    sqlNode = .mapping(rest)
                }
                action = sqlFunction(sqlNode, context: context).map { .sql($0, repeats: repeats) }
            case (nil, let hook?):
                action = webhook(hook, context: context).map(Schedule.Action.webhook)
            default:
                fail(key, "\(context) needs exactly one resolver: sql or webhook")
                action = nil
            }
            guard let action else { return nil }
            return Schedule(name: name, timing: timing, perTenant: fields["per_tenant"].flatMap { bool($0) } ?? false,
                            action: action, position: position(of: key))
        }
    }

    /// `30s`, `5m`, `2h`, `1d` or plain seconds; nil unless positive.
    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var digits = text.trimmingCharacters(in: .whitespaces)
        var unit = 1
        if let last = digits.last, let factor = units[last] {
            unit = factor
            digits.removeLast()
        }
        guard let count = Int(digits), count > 0, count <= Int.max / unit else { return nil }
        return count * unit
    }
}
