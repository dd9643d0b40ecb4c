import GraphQLTypeSystem
import SQL

/// A list of objects that can be inserted as one batch: every item has the same members in the
/// same order, and every member's value is a scalar or null (no nested insert, no JSON object).
/// Such a list travels as one JSON parameter, unpacked by PostgreSQL, so neither its length nor
/// its values shape the SQL — only its members do. The planner and the plan cache's key agree
/// on it through this one definition.
public enum UniformRows {
    /// The members every item has, in order; nil when the list is not uniform (or its objects
    /// are empty: rows of defaults only go one per step).
    public static func members(of value: JSONValue) -> [String]? {
        guard case .array(let items) = value, case .object(let first)? = items.first else { return nil }
        let names = first.map(\.0)
        guard !names.isEmpty, Set(names).count == names.count, names.allSatisfy({ SQLName($0) != nil }) else { return nil }
        for item in items {
            guard case .object(let members) = item, members.count == names.count else { return nil }
            for (index, (name, value)) in members.enumerated() {
                guard names[index] == name else { return nil }
                switch value {
                case .array, .object: return nil
                case .null, .bool, .number, .string: continue
                }
            }
        }
        return names
    }
}
