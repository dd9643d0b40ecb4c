import GraphQLLanguage

/// Fragments do not spread themselves, directly or through others (spec §5.5.2.2, Fragment Spreads Must Not Form Cycles).
enum NoFragmentCyclesRule: ValidationRule {
    static func validate(_ context: inout ValidationContext) {
        var search = CycleSearch(context: context)
        for fragment in context.document.fragments {
            search.visit(fragment)
        }
        for (message, locations) in search.cycles {
            context.report(message, locations)
        }
    }

    /// graphql-js's depth-first search: each fragment is entered once; a spread back onto the
    /// current path is a cycle, reported once with the spreads that form it.
    struct CycleSearch {
        let context: ValidationContext
        var visited: Set<String> = []
        var path: [FragmentSpread] = []
        var pathIndex: [String: Int] = [:]
        var cycles: [(String, [Location])] = []

        init(context: ValidationContext) {
            self.context = context
        }

        mutating func visit(_ fragment: FragmentDefinition) {
            let name = fragment.name.value
            guard visited.insert(name).inserted else { return }
            let spreads = directSpreads(fragment.selectionSet)
            guard !spreads.isEmpty else { return }
            pathIndex[name] = path.count
            for spread in spreads {
                let target = spread.name.value
                if let start = pathIndex[target] {
                    let cycle = Array(path[start...]) + [spread]
                    let via = cycle.dropLast().map { "\"\($0.name.value)\"" }.joined(separator: ", ")
                    cycles.append(("Cannot spread fragment \"\(target)\" within itself\(via.isEmpty ? "." : " via \(via).")",
                                   cycle.map(\.location)))
                } else if let next = context.fragments[target] {
                    path.append(spread)
                    visit(next)
                    path.removeLast()
                }
            }
            pathIndex[name] = nil
        }

        /// Spreads in graphql-js's order: a set's own spreads in order, nested sets last-first.
        func directSpreads(_ selectionSet: SelectionSet) -> [FragmentSpread] {
            var spreads: [FragmentSpread] = []
            var pending = [selectionSet]
            while let set = pending.popLast() {
                for selection in set.selections {
                    switch selection {
                    case .fragmentSpread(let spread): spreads.append(spread)
                    case .field(let field): if let inner = field.selectionSet { pending.append(inner) }
                    case .inlineFragment(let fragment): pending.append(fragment.selectionSet)
                    }
                }
            }
            return spreads
        }
    }
}
