import APISchema
import GraphQLLanguage
import GraphQLTypeSystem
import SchemaModel
import SQL

/// Plans a mutation operation: each root field becomes one statement — its writes as
/// data-modifying common table expressions, then one `SELECT` of the field's JSON — except
/// `update_<table>_many`, whose updates run as one statement each, in order. The executor runs
/// them all, in order, in one transaction.
enum MutationPlanner {
    static func plan(_ operation: OperationDefinition, builder: PlanBuilder) throws(GraphQLError) -> QueryPlan {
        let rootName = builder.api.schema.rootTypeName(for: .mutation) ?? "mutation_root"
        var fields: [MutationField] = []
        for field in builder.fields([operation.selectionSet]) {
            let path: [GraphQLError.PathComponent] = [.field(field.responseKey)]
            if field.name == "__typename" {
                fields.append(MutationField(responseKey: field.responseKey, value: .constant(.string(rootName))))
                continue
            }
            fields.append(MutationField(responseKey: field.responseKey, value: try rootField(field, builder: builder, path: path)))
        }
        return QueryPlan(body: .mutation(fields), structuralVariables: builder.variables.structural,
                         laidOutVariables: builder.variables.laidOut)
    }

    private enum Kind {
        case insert, insertOne, update, updateByPrimaryKey, updateMany, delete, deleteByPrimaryKey
    }

    private static func rootField(_ field: SelectedField, builder: PlanBuilder,
                                  path: [GraphQLError.PathComponent]) throws(GraphQLError) -> MutationField.Value {
        if let function = builder.api.functions[field.name], function.exposedAs == .mutation {
            let (call, rows) = try builder.functionMutation(function, field: field, path: path)
            return .chained(try builder.statement(SQLRenderer.render(call), at: field, path: path),
                            then: try builder.statement(SQLRenderer.render(rows), at: field, path: path))
        }
        guard let (kind, view) = resolve(field.name, in: builder.api) else {
            throw builder.planningError("field '\(field.name)' not found in type 'mutation_root'", at: field, path: path)
        }
        var statement = MutationStatement()
        let query: SQLWithQuery
        switch kind {
        case .insert, .insertOne:
            let objects: [InputValue]
            if kind == .insertOne {
                objects = field.argument("object").map { [$0] } ?? []
            } else {
                switch field.argument("objects").map(builder.variables.layout) {
                case .list(let items)?: objects = items
                case .object?: objects = field.argument("objects").map { [$0] } ?? []
                default: objects = []
                }
            }
            let rows: [SQLIdentifier]
            if kind == .insert, let uniform = builder.uniformRows(field.argument("objects")) {
                rows = try builder.insertBatch(view, rows: uniform, onConflict: field.argument("on_conflict"), parent: nil,
                                               statement: &statement, path: path)
            } else {
                rows = try builder.insertSteps(view, objects: objects, onConflict: field.argument("on_conflict"), parent: nil,
                                               statement: &statement, path: path)
            }
            query = try builder.mutationStatement(statement) { () throws(GraphQLError) in
                kind == .insertOne ? try builder.writtenRow(view, field: field, rows: rows, path: path)
                    : try builder.mutationResponse(view, field: field, statement: statement, rows: rows, path: path)
            }
        case .update, .updateByPrimaryKey:
            var key: [(column: ColumnModel, value: InputValue)] = []
            if kind == .updateByPrimaryKey, let input = field.argument("pk_columns"), case .object(let members) = builder.variables.layout(input) {
                key = (view.primaryKey ?? []).compactMap { column in members.first { $0.0 == column.name }.map { (column, $0.1) } }
            }
            let step = try builder.updateStep(view, set: field.argument("_set"), increment: field.argument("_inc"),
                                              filter: kind == .update ? field.argument("where") : nil, primaryKey: key,
                                              at: field, statement: &statement, path: path)
            query = try builder.mutationStatement(statement) { () throws(GraphQLError) in
                kind == .updateByPrimaryKey ? try builder.writtenRow(view, field: field, rows: [step], path: path)
                    : try builder.mutationResponse(view, field: field, statement: statement, rows: [step], path: path)
            }
        case .delete, .deleteByPrimaryKey:
            var key: [(column: ColumnModel, value: InputValue)] = []
            if kind == .deleteByPrimaryKey {
                key = (view.primaryKey ?? []).compactMap { column in field.argument(column.name).map { (column, $0) } }
            }
            let step = try builder.deleteStep(view, filter: kind == .delete ? field.argument("where") : nil, primaryKey: key,
                                              statement: &statement, path: path)
            query = try builder.mutationStatement(statement) { () throws(GraphQLError) in
                kind == .deleteByPrimaryKey ? try builder.writtenRow(view, field: field, rows: [step], path: path)
                    : try builder.mutationResponse(view, field: field, statement: statement, rows: [step], path: path)
            }
        case .updateMany:
            return .list(try updateMany(view, field: field, builder: builder, path: path))
        }
        return .statement(try builder.statement(SQLRenderer.render(query), at: field, path: path))
    }

    /// `update_<table>_many`: one statement per entry of `updates`, run in order.
    private static func updateMany(_ view: TableView, field: SelectedField, builder: PlanBuilder,
                                   path: [GraphQLError.PathComponent]) throws(GraphQLError) -> [PlanStatement] {
        var statements: [PlanStatement] = []
        guard let updates = field.argument("updates") else { return [] }
        let entries: [InputValue]
        switch builder.variables.layout(updates) {
        case .list(let items): entries = items
        case .object: entries = [updates]
        default: entries = []
        }
        for (index, entry) in entries.enumerated() {
            guard case .object(let members) = builder.variables.layout(entry) else { continue }
            let argument = { (name: String) in members.first { $0.0 == name }?.1 }
            let entryPath = path + [.index(index)]
            var statement = MutationStatement()
            let step = try builder.updateStep(view, set: argument("_set"), increment: argument("_inc"), filter: argument("where"),
                                              primaryKey: [], at: field, statement: &statement, path: entryPath)
            statements.append(try builder.statement(SQLRenderer.render(try builder.mutationStatement(statement) { () throws(GraphQLError) in
                try builder.mutationResponse(view, field: field, statement: statement, rows: [step], path: entryPath)
            }), at: field, path: entryPath))
        }
        return statements
    }

    /// The table and kind of write a root field of `mutation_root` names.
    private static func resolve(_ name: String, in api: RoleSchema) -> (Kind, TableView)? {
        for view in api.tables.values {
            let names = RootFieldNames(table: view.name)
            let kinds: [(String, Kind)] = [(names.insert, .insert), (names.insertOne, .insertOne), (names.update, .update),
                                           (names.updateByPrimaryKey, .updateByPrimaryKey), (names.updateMany, .updateMany),
                                           (names.delete, .delete), (names.deleteByPrimaryKey, .deleteByPrimaryKey)]
            if let kind = kinds.first(where: { $0.0 == name })?.1 { return (kind, view) }
        }
        return nil
    }

}
