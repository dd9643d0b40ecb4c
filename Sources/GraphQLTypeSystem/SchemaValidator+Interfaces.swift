import GraphQLLanguage

extension SchemaValidator {
    /// IsValidImplementation (spec §3.6.2 and §3.7.2): a type implementing an interface has all its
    /// fields, with covariant types and the same arguments, and implements what the interface implements.
    mutating func validateInterfaces(of type: GraphQLObjectType) {
        var seen: Set<String> = []
        for interfaceName in type.interfaces {
            guard case .interface(let interface)? = schema.types[interfaceName] else {
                fail("Type \(type.name) must only implement Interface types, it cannot implement \(interfaceName).", [type.location])
                continue
            }
            if interfaceName == type.name {
                fail("Type \(type.name) cannot implement itself because it would create a circular reference.", [type.location])
                continue
            }
            guard seen.insert(interfaceName).inserted else {
                fail("Type \(type.name) can only implement \(interfaceName) once.", [type.location])
                continue
            }
            for transitive in interface.interfaces where !type.interfaces.contains(transitive) {
                let message = transitive == type.name
                    ? "Type \(type.name) cannot implement \(interfaceName) because it would create a circular reference."
                    : "Type \(type.name) must implement \(transitive) because it is implemented by \(interfaceName)."
                fail(message, [type.location, interface.location])
            }
            validateImplementation(of: interface, by: type)
        }
    }

    mutating func validateImplementation(of interface: GraphQLObjectType, by type: GraphQLObjectType) {
        for interfaceField in interface.fields {
            let fieldName = interfaceField.name
            guard let field = type.field(named: fieldName) else {
                fail("Interface field \(interface.name).\(fieldName) expected but \(type.name) does not provide it.",
                     [interfaceField.location, type.location])
                continue
            }
            if !schema.isTypeSubType(field.type, of: interfaceField.type) {
                fail("Interface field \(interface.name).\(fieldName) expects type \(interfaceField.type) but \(type.name).\(fieldName) is type \(field.type).",
                     [interfaceField.location, field.location])
            }
            for interfaceArgument in interfaceField.arguments {
                guard let argument = field.argument(named: interfaceArgument.name) else {
                    fail("Interface field argument \(interface.name).\(fieldName)(\(interfaceArgument.name):) expected but \(type.name).\(fieldName) does not provide it.",
                         [interfaceArgument.location, field.location])
                    continue
                }
                if argument.type != interfaceArgument.type {
                    fail("Interface field argument \(interface.name).\(fieldName)(\(interfaceArgument.name):) expects type \(interfaceArgument.type) but \(type.name).\(fieldName)(\(argument.name):) is type \(argument.type).",
                         [interfaceArgument.location, argument.location])
                }
            }
            for argument in field.arguments where argument.isRequired && interfaceField.argument(named: argument.name) == nil {
                fail("Object field \(type.name).\(fieldName) includes required argument \(argument.name) that is missing from the Interface field \(interface.name).\(fieldName).",
                     [argument.location, interfaceField.location])
            }
        }
    }

    /// Input objects must not contain themselves through non-null, non-list fields only
    /// (spec §3.10.1): no finite value could be written for them.
    mutating func validateInputCycles() {
        var visited: Set<String> = []
        for name in schema.typeNames {
            guard case .inputObject(let input)? = schema.types[name], !visited.contains(name) else { continue }
            var path: [(String, GraphQLInputValue)] = []
            var onPath: [String: Int] = [:]
            detectCycle(from: input, visited: &visited, path: &path, onPath: &onPath)
        }
    }

    private mutating func detectCycle(from input: GraphQLInputObjectType, visited: inout Set<String>,
                                      path: inout [(String, GraphQLInputValue)], onPath: inout [String: Int]) {
        guard visited.insert(input.name).inserted else { return }
        onPath[input.name] = path.count
        for field in input.fields {
            guard case .nonNull(.named(let target)) = field.type,
                  case .inputObject(let next)? = schema.types[target] else { continue }
            path.append((input.name, field))
            if let start = onPath[target] {
                let cycle = path[start...].map(\.1.name).joined(separator: ".")
                fail("Cannot reference Input Object \"\(target)\" within itself through a series of non-null fields: \"\(cycle)\".",
                     path[start...].map(\.1.location))
            } else {
                detectCycle(from: next, visited: &visited, path: &path, onPath: &onPath)
            }
            path.removeLast()
        }
        onPath[input.name] = nil
    }
}
