import GraphQLLanguage

/// Builds a schema from SDL (spec §3): type definitions and their extensions, directive
/// definitions, the schema definition, plus the built-in scalars, directives and introspection
/// types. Reports every problem it finds, each at its location, then validates the result
/// against the type system rules (`SchemaValidator`).
public enum SchemaBuilder {
    public static func build(sdl: String) throws(GraphQLErrors) -> GraphQLSchema {
        let document: Document
        do {
            document = try Parser.parse(sdl, limits: .trusted)
        } catch {
            throw GraphQLErrors([error])
        }
        return try build(document)
    }

    public static func build(_ document: Document) throws(GraphQLErrors) -> GraphQLSchema {
        var builder = SchemaAssembly()
        builder.addBuiltIns()
        builder.add(document, builtIn: false)
        let schema = builder.finish()
        var errors = builder.errors
        if errors.isEmpty {
            errors = SchemaValidator(schema: schema).validate()
        }
        guard errors.isEmpty else { throw GraphQLErrors(errors) }
        return schema
    }

    /// The built-in definitions alone, parsed once.
    static let builtInDocument: Document = {
        do {
            return try Parser.parse(BuiltInSchema.sdl, limits: .trusted)
        } catch {
            fatalError("the built-in schema does not parse: \(error)")
        }
    }()
}

/// The mutable state of one build.
struct SchemaAssembly {
    var errors: [GraphQLError] = []
    var types: [String: GraphQLNamedType] = [:]
    var typeNames: [String] = []
    var builtInTypeNames: Set<String> = []
    var directives: [String: GraphQLDirective] = [:]
    var directiveNames: [String] = []
    var schemaDefinition: SchemaDefinition?
    /// Schema definitions after the first (an error, but their root types are still checked).
    var extraSchemaDefinitions: [SchemaDefinition] = []
    var builtInDirectiveNames: Set<String> = []
    var schemaExtensions: [SchemaExtension] = []
    var typeExtensions: [TypeDefinition] = []
    /// The user's definitions, for the checks that need every directive defined first.
    var userDefinitions: [Definition] = []
    /// Every named type a definition refers to, checked once all types are known.
    var references: [Name] = []

    mutating func fail(_ message: String, _ locations: [Location?]) {
        errors.append(GraphQLError(message, locations: locations.compactMap { $0?.sourceLocation }))
    }

    mutating func addBuiltIns() {
        add(SchemaBuilder.builtInDocument, builtIn: true)
    }

    mutating func add(_ document: Document, builtIn: Bool) {
        if !builtIn { userDefinitions += document.definitions }
        for definition in document.definitions {
            switch definition {
            case .type(let node):
                add(node, builtIn: builtIn)
            case .typeExtension(let node):
                typeExtensions.append(node)
            case .directive(let node):
                add(node, builtIn: builtIn)
            case .schema(let node):
                if let first = schemaDefinition {
                    fail("Must provide only one schema definition.", [first.location, node.location])
                    extraSchemaDefinitions.append(node)
                } else {
                    schemaDefinition = node
                }
            case .schemaExtension(let node):
                schemaExtensions.append(node)
            case .operation(let node):
                fail("An executable definition is not allowed in a schema.", [node.location])
            case .fragment(let node):
                fail("An executable definition is not allowed in a schema.", [node.location])
            }
        }
    }

    mutating func add(_ node: TypeDefinition, builtIn: Bool) {
        let name = node.name.value
        if let existing = types[name] {
            if builtInTypeNames.contains(name) && BuiltInSchema.scalarNames.contains(name) && !builtIn {
                // A schema may restate a built-in scalar; the built-in definition stays.
                return
            }
            fail("There can be only one type named \"\(name)\".", [existing.location, node.name.location])
            return
        }
        if !builtIn && name.hasPrefix("__") {
            fail("Name \"\(name)\" must not begin with \"__\", which is reserved by GraphQL introspection.", [node.name.location])
        }
        types[name] = makeType(node)
        typeNames.append(name)
        if builtIn { builtInTypeNames.insert(name) }
    }

    mutating func add(_ node: DirectiveDefinition, builtIn: Bool) {
        let name = node.name.value
        if let existing = directives[name] {
            if !builtIn && builtInDirectiveNames.remove(name) != nil {
                // A schema may redefine a specified directive; its definition replaces the built-in one.
                directives[name] = makeDirective(node)
                return
            }
            fail("There can be only one directive named \"@\(name)\".", [existing.location, node.name.location])
            return
        }
        directives[name] = makeDirective(node)
        directiveNames.append(name)
        if builtIn { builtInDirectiveNames.insert(name) }
    }

    mutating func finish() -> GraphQLSchema {
        for node in typeExtensions { applyExtension(node) }
        checkDirectiveUsages(userDefinitions)
        let roots = rootTypeNames()
        var seen: Set<String> = []
        for reference in references where types[reference.value] == nil && seen.insert(reference.value).inserted {
            let hint = Suggestion.didYouMean(reference.value, among: typeNames)
            fail("Unknown type \"\(reference.value)\".\(hint)", [reference.location])
        }
        // User types first, then built-ins, as introspection lists them.
        let ordered = typeNames.filter { !builtInTypeNames.contains($0) } + typeNames.filter { builtInTypeNames.contains($0) }
        return GraphQLSchema(
            description: schemaDefinition?.description?.value, types: types, typeNames: ordered,
            directives: directives, directiveNames: directiveNames,
            queryTypeName: roots[.query], mutationTypeName: roots[.mutation], subscriptionTypeName: roots[.subscription])
    }

    mutating func rootTypeNames() -> [OperationType: String] {
        var roots: [OperationType: String] = [:]
        let definitions = (schemaDefinition.map { Array($0.operationTypes) } ?? []) + extraSchemaDefinitions.flatMap(\.operationTypes)
            + schemaExtensions.flatMap(\.operationTypes)
        for definition in definitions {
            if roots[definition.operation] != nil {
                fail("There can be only one \(definition.operation.rawValue) type in schema.", [definition.location])
                continue
            }
            references.append(definition.type)
            roots[definition.operation] = definition.type.value
        }
        if schemaDefinition == nil {
            // Without a schema definition, types named Query, Mutation and Subscription are the roots.
            for operation in OperationType.allCases {
                let name = operation.rawValue.prefix(1).uppercased() + operation.rawValue.dropFirst()
                if types[name] != nil { roots[operation] = name }
            }
        }
        return roots
    }
}
