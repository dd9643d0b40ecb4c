import Database
import SchemaModel

/// The enums and domains strata.yaml declares against the database: each exists, an enum with
/// the same labels in the same order, a domain over the same base type.
extension SchemaCheck {
    func typeChecks() -> [SchemaError] {
        project.settings.types.values.sorted { $0.name < $1.name }.compactMap { declared in
            let (schema, name) = declared.qualifiedName
            let key = "\(schema ?? "public").\(name)"
            switch declared.kind {
            case .enumeration(let labels):
                guard let actual = catalog.enums[key] else {
                    return declared.position.error("enum \(key) does not exist in the database"
                        + NameSuggestion.hint(for: key, among: catalog.enums.keys.sorted()))
                }
                guard actual == labels else {
                    return declared.position.error("enum \(key) has the labels [\(actual.joined(separator: ", "))] in the database, in that order, "
                        + "not [\(labels.joined(separator: ", "))]")
                }
                return nil
            case .domain(let base):
                guard let actual = catalog.domains[key] else {
                    return declared.position.error("domain \(key) does not exist in the database"
                        + NameSuggestion.hint(for: key, among: catalog.domains.keys.sorted()))
                }
                guard actual.lowercased() == base.sqlName else {
                    return declared.position.error("domain \(key) is over \(actual) in the database, not \(base.sqlName)")
                }
                return nil
            }
        }
    }

    /// Whether a column's type as `format_type` prints it is the YAML's: a declared type may be
    /// written with or without its schema, which `format_type` leaves out when it is on the search path.
    static func sameType(_ actual: String, _ type: ColumnType) -> Bool {
        let actual = actual.lowercased()
        if let element = type.element, element.declared != nil {
            return actual.hasSuffix("[]") && sameType(String(actual.dropLast(2)), element)
        }
        guard let declared = type.declared else { return actual == type.sqlName }
        let (schema, name) = declared.qualifiedName
        return actual == name.lowercased() || actual == "\(schema ?? "public").\(name)".lowercased()
    }
}
