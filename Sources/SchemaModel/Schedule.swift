/// A schedule from `schedules:` in strata.yaml: when it runs (every so often, or at the minutes
/// a cron expression names), whether once per tenant, and what it runs. Each slot runs at most
/// once however many `strata` processes look; one-off scheduled events (`strata.schedule`) run
/// its resolver at a time of their own with a payload of their own.
public struct Schedule: Sendable, Hashable {
    public enum Timing: Sendable, Hashable {
        /// Slots every so many seconds, counted from the Unix epoch.
        case every(seconds: Int)
        case cron(CronExpression)
        /// No slots of its own: run by one-off scheduled events only.
        case onDemand
    }

    public enum Action: Sendable, Hashable {
        /// Called with the run as `jsonb`; with `repeats`, called again — each call a transaction
        /// of its own — while it answers true (a sweep taking one row at a time).
        case sql(SQLFunctionResolver, repeats: Bool)
        case webhook(WebhookResolver)
    }

    public var name: String
    public var timing: Timing
    /// Runs once per tenant (listed from `tenancy.tenants`) with that tenant's setting.
    public var perTenant: Bool
    public var action: Action
    public var position: SourcePosition

    public init(name: String, timing: Timing, perTenant: Bool, action: Action, position: SourcePosition) {
        self.name = name
        self.timing = timing
        self.perTenant = perTenant
        self.action = action
        self.position = position
    }
}

/// Five fields — minute, hour, day of month, month, day of week (0 or 7 is Sunday) — each `*`,
/// a number, a range `a-b`, a step `*/n` or `a-b/n`, or a list of those. A time matches when
/// its minute, hour and month match and its day matches either day field (both when both are
/// restricted, as cron does).
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let minutes: Set<Int>
    public let hours: Set<Int>
    public let days: Set<Int>
    public let months: Set<Int>
    public let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool
    public let description: String

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ text: String) throws(Invalid) {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else {
            throw Invalid(description: "a cron expression has five fields (minute hour day month weekday), '\(text)' has \(fields.count)")
        }
        minutes = try Self.values(fields[0], 0...59, "minute")
        hours = try Self.values(fields[1], 0...23, "hour")
        days = try Self.values(fields[2], 1...31, "day of month")
        months = try Self.values(fields[3], 1...12, "month")
        weekdays = Set(try Self.values(fields[4], 0...7, "day of week").map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
        description = text
    }

    static func values(_ field: String, _ range: ClosedRange<Int>, _ what: String) throws(Invalid) -> Set<Int> {
        var result: Set<Int> = []
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(pieces.count) else { throw Invalid(description: "'\(part)' is not a \(what) field") }
            var step = 1
            if pieces.count == 2 {
                guard let written = Int(pieces[1]), written > 0 else { throw Invalid(description: "'\(pieces[1])' is not a step of \(what)s") }
                step = written
            }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
                guard let low = bounds.first ?? nil, bounds.count <= 2, let high = bounds.count == 2 ? bounds[1] : low,
                      range.contains(low), range.contains(high), low <= high else {
                    throw Invalid(description: "'\(pieces[0])' is no \(what) from \(range.lowerBound) to \(range.upperBound)")
                }
                span = low...(pieces.count == 2 && bounds.count == 1 ? range.upperBound : high)
            }
            result.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return result
    }

    /// Whether a UTC minute (its calendar fields) matches.
    public func matches(minute: Int, hour: Int, day: Int, month: Int, weekday: Int) -> Bool {
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let dayMatches = days.contains(day), weekdayMatches = weekdays.contains(weekday)
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): return dayMatches || weekdayMatches
        case (true, false): return dayMatches
        case (false, true): return weekdayMatches
        case (false, false): return true
        }
    }
}
