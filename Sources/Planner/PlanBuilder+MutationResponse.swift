import APISchema
import GraphQLLanguage
import SchemaModel
import SQL

/// What a mutation field answers, read from its write steps once they are all planned: reads of
/// the tables the field wrote see the written rows, and each step's rows must pass the role's
/// `check` or the statement fails.
extension PlanBuilder {
    /// The statement of one mutation field: its steps, then one `SELECT` of its JSON `value`.
    func mutationStatement(_ statement: MutationStatement,
                           value: () throws(GraphQLError) -> SQLExpression) throws(GraphQLError) -> SQLWithQuery {
        written = statement.written
        defer { written = [:] }
        let data = try value()
        let checks = permissionChecks(statement)
        return SQLWithQuery(statement.steps, SQLSelect([.init(data, as: "data")], where: checks.isEmpty ? nil : .and(checks)))
    }

    /// `<table>_mutation_response`: `affected_rows` counts every row the field wrote, nested
    /// inserts included; `returning` lists the rows of `rows` the role may select.
    func mutationResponse(_ view: TableView, field: SelectedField, statement: MutationStatement, rows: [SQLIdentifier],
                          path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLExpression {
        var pairs: [(String, SQLExpression)] = []
        for selected in fields(field.subselections) {
            let fieldPath = path + [.field(selected.responseKey)]
            switch selected.name {
            case "__typename":
                pairs.append((selected.responseKey, typeName(view.name + "_mutation_response")))
            case "affected_rows":
                let all = nextAlias("a")
                let counted: SQLSource = statement.stepNames.isEmpty
                    ? .subquery(SQLSelect([.init(.integer(1))], where: .boolean(false)), as: all)
                    : .unionAll(statement.stepNames.map { SQLSelect([.init(.integer(1))], from: .table(SQLQualifiedName($0), as: $0)) }, as: all)
                pairs.append((selected.responseKey, .subquery(SQLSelect([.init(.aggregate(SQLAggregate("count", [])))], from: counted))))
            case "returning" where view.isSelectable:
                let query = try self.rows(view, shapes: [RowShape(output: Self.rootColumn, selections: selected.subselections)],
                                          arguments: .all, parent: nil, source: .written(rows), field: selected, path: fieldPath)
                let alias = nextAlias("r")
                pairs.append((selected.responseKey, .subquery(SQLSelect([.init(jsonArray(.column(table: alias, Self.rootColumn), orderBy: []))],
                                                                         from: .subquery(query.select, as: alias)))))
            default:
                throw planningError("field '\(selected.name)' not found in type '\(view.name)_mutation_response'", at: selected, path: fieldPath)
            }
        }
        return try jsonObject(pairs, at: field, path: path)
    }

    /// The one written row a field returns (`insert_<table>_one`, `…_by_pk`), or null when it
    /// wrote none or the role may not select it.
    func writtenRow(_ view: TableView, field: SelectedField, rows: [SQLIdentifier],
                    path: [GraphQLError.PathComponent]) throws(GraphQLError) -> SQLExpression {
        let query = try self.rows(view, shapes: [RowShape(output: Self.rootColumn, selections: field.subselections)],
                                  arguments: .oneRow, parent: nil, source: .written(rows), field: field, path: path)
        return .subquery(query.select)
    }

    /// A permission's row filter on the rows under `alias`; nothing when it admits every row.
    func restriction(_ filter: RowFilter, on view: TableView, as alias: SQLIdentifier) -> [SQLExpression] {
        let condition = permissionCondition(filter, on: view)
        return Self.isTrivial(condition) ? [] : [compile(condition, on: view, as: alias)]
    }

    /// One `strata.permission_check(no row breaks the check, table)` per step whose table's
    /// permission has a check: an upsert's inserted rows answer to the insert check, the rows
    /// it updated to the update check. A check that is unknown (null) fails.
    private func permissionChecks(_ statement: MutationStatement) -> [SQLExpression] {
        var checks: [SQLExpression] = []
        for (view, rows) in statement.checked {
            let row = nextAlias("c")
            let insertCheck = view.insert.map { permissionCondition($0.check, on: view) }
            let updateCheck = view.update.map { permissionCondition($0.check, on: view) }
            let passes: SQLExpression
            switch rows.kind {
            case .delete:
                continue
            case .update:
                guard let updateCheck, !Self.isTrivial(updateCheck) else { continue }
                passes = compile(updateCheck, on: view, as: row)
            case .insert(let upsert):
                let insert = insertCheck.flatMap { Self.isTrivial($0) ? nil : $0 }
                let update = upsert ? updateCheck.flatMap { Self.isTrivial($0) ? nil : $0 } : nil
                guard insert != nil || update != nil else { continue }
                let insertPasses = insert.map { compile($0, on: view, as: row) } ?? .boolean(true)
                if upsert {
                    let inserted = SQLExpression.column(table: row, "__inserted")
                    passes = .or([.and([inserted, insertPasses]),
                                  .and([.not(inserted), update.map { compile($0, on: view, as: row) } ?? .boolean(true)])])
                } else {
                    passes = insertPasses
                }
            }
            let broken = SQLSelect([.init(.integer(1))], from: .table(SQLQualifiedName(rows.name), as: row),
                                   where: .not(.coalesce([passes, .boolean(false)])))
            checks.append(.function(SQLQualifiedName(schema: "strata", "permission_check"), [.not(.exists(broken)), typeName(view.name)]))
        }
        return checks
    }

    static func isTrivial(_ condition: Condition) -> Bool {
        if case .and(let terms) = condition { return terms.allSatisfy(isTrivial) }
        return false
    }
}
