import Database
import SchemaModel

/// Exposed SQL functions against the database: the function exists with the YAML's arguments
/// in order, returns a set of the table's rows, is VOLATILE when exposed as a mutation and not
/// when exposed as a query, and has a default for each argument a client may leave out.
extension SchemaCheck {
    func check(_ function: FunctionModel) -> SchemaError? {
        let candidates = catalog.functions.filter { $0.schema == function.schema && $0.name == function.function }
        guard !candidates.isEmpty else {
            return function.position.error("function \(function.qualifiedName) does not exist"
                + NameSuggestion.hint(for: function.function, among: catalog.functions.filter { $0.schema == function.schema }.map(\.name)))
        }
        let written = function.arguments.map { "\($0.name) \($0.type.sqlName)" }.joined(separator: ", ")
        guard let live = candidates.first(where: { Self.sameArguments($0.arguments, written) }) else {
            return function.position.error("function \(function.qualifiedName) takes (\(candidates.map(\.arguments).joined(separator: ") or ("))) "
                + "in the database, not (\(written)); list its arguments in order with their names and types")
        }
        if let table = project.table(named: function.returns) {
            let names = [table.qualifiedName, table.table]
            if !live.returnsSet || !names.contains(live.returns) {
                return function.position.error("function \(function.qualifiedName) returns \(live.returnsSet ? "SETOF " : "")\(live.returns), "
                    + "not SETOF \(table.qualifiedName)")
            }
        }
        switch (function.exposedAs, live.volatility) {
        case (.mutation, "v"), (.query, "s"), (.query, "i"):
            break
        case (.mutation, _):
            return function.position.error("function \(function.qualifiedName) is not VOLATILE, so it cannot write: expose it as a query")
        case (.query, _):
            return function.position.error("function \(function.qualifiedName) is VOLATILE: expose it as a mutation, or declare it STABLE")
        }
        let firstOptional = function.arguments.firstIndex { $0.isNullable }
        if let firstOptional, function.arguments.count - firstOptional > live.defaults
            || function.arguments[firstOptional...].contains(where: { !$0.isNullable }) {
            return function.position.error("function \(function.qualifiedName) has defaults for its last \(live.defaults) argument(s); "
                + "only those may be nullable (left out) in the YAML")
        }
        return nil
    }

    /// `wallet_id uuid, amount numeric` as the database and the YAML write it.
    static func sameArguments(_ live: String, _ written: String) -> Bool {
        func normalized(_ text: String) -> String { text.lowercased().replacingOccurrences(of: " ", with: "") }
        return normalized(live) == normalized(written)
    }
}
