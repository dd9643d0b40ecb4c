import GraphQLLanguage

/// Bounds on what fragments can do. The parser bounds syntax, but fragments can chain without
/// end (F0 spreads F1 spreads F2 …), and validation, planning and SQL all recurse along spread
/// chains and field nesting. A document is refused, before anything recurses through its fragments,
/// when a chain of spreads is longer than the limit, or an operation's fields nest deeper than it
/// with fragments expanded (fields in `{ a { b } }` nest two deep), or, when a field limit is
/// given, selects more fields than it with each fragment counted wherever it is spread.
enum SelectionDepth {
    /// The first problem, as an error; nil when the document is within the limit.
    static func check(_ document: Document, fragments: [String: FragmentDefinition], limit: Int, maxFields: Int? = nil) -> GraphQLError? {
        let (depths, chains, counts) = fragmentDepths(document, fragments: fragments)
        for fragment in document.fragments {
            let chain = chains[fragment.name.value] ?? 0
            if chain > limit {
                return GraphQLError("Fragment \"\(fragment.name.value)\" starts a chain of \(chain) fragment spreads; the limit is \(limit).",
                                    locations: [fragment.location.sourceLocation], code: ErrorCode.validationFailed)
            }
        }
        for operation in document.operations {
            let depth = self.depth(of: operation.selectionSet, fragmentDepths: depths)
            if depth > limit {
                let name = operation.name.map { "The operation \"\($0.value)\"" } ?? "The operation"
                return GraphQLError("\(name) nests fields \(depth) levels deep, counting its fragments; the limit is \(limit).",
                                    locations: [operation.location.sourceLocation], code: ErrorCode.validationFailed)
            }
            if let maxFields {
                let fields = count(of: operation.selectionSet, fragmentCounts: counts)
                if fields > maxFields {
                    let name = operation.name.map { "The operation \"\($0.value)\"" } ?? "The operation"
                    let shown = fields >= saturated ? "more than \(maxFields)" : "\(fields)"
                    return GraphQLError("\(name) selects \(shown) fields, counting each fragment where it is spread; the limit is \(maxFields).",
                                        locations: [operation.location.sourceLocation], code: ErrorCode.validationFailed)
                }
            }
        }
        return nil
    }

    /// Each fragment's field depth and the length of the longest spread chain it starts, computed in
    /// dependency order by an explicit stack (no recursion along spread chains). A spread that closes
    /// a cycle counts as 0; NoFragmentCyclesRule reports the cycle.
    static func fragmentDepths(_ document: Document, fragments: [String: FragmentDefinition])
        -> (depths: [String: Int], chains: [String: Int], counts: [String: Int]) {
        var depths: [String: Int] = [:]
        var chains: [String: Int] = [:]
        var counts: [String: Int] = [:]
        var onStack: Set<String> = []
        for start in document.fragments.map(\.name.value) where depths[start] == nil {
            var stack: [(name: String, pending: [String])] = []
            func push(_ name: String) {
                guard let fragment = fragments[name] else { return }
                onStack.insert(name)
                stack.append((name, spreadNames(in: fragment.selectionSet)))
            }
            push(start)
            while let top = stack.last {
                if let next = top.pending.last {
                    stack[stack.count - 1].pending.removeLast()
                    if depths[next] == nil && !onStack.contains(next) { push(next) }
                    continue
                }
                stack.removeLast()
                onStack.remove(top.name)
                if let fragment = fragments[top.name] {
                    depths[top.name] = depth(of: fragment.selectionSet, fragmentDepths: depths)
                    counts[top.name] = count(of: fragment.selectionSet, fragmentCounts: counts)
                    chains[top.name] = 1 + (spreadNames(in: fragment.selectionSet).compactMap { chains[$0] }.max() ?? 0)
                }
            }
        }
        return (depths, chains, counts)
    }

    /// Counts stop growing here: fragments spread inside fragments multiply.
    static let saturated = 1 << 40

    /// Fields of a selection set, each fragment counted wherever it is spread.
    static func count(of selectionSet: SelectionSet, fragmentCounts: [String: Int]) -> Int {
        var total = 0
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                total += 1 + (field.selectionSet.map { count(of: $0, fragmentCounts: fragmentCounts) } ?? 0)
            case .inlineFragment(let fragment):
                total += count(of: fragment.selectionSet, fragmentCounts: fragmentCounts)
            case .fragmentSpread(let spread):
                total += fragmentCounts[spread.name.value] ?? 0
            }
            total = min(total, saturated)
        }
        return total
    }

    /// Depth of a selection set given its fragments' depths (recursion here follows syntax only,
    /// which the parser bounds).
    static func depth(of selectionSet: SelectionSet, fragmentDepths: [String: Int]) -> Int {
        var deepest = 0
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                deepest = max(deepest, 1 + (field.selectionSet.map { depth(of: $0, fragmentDepths: fragmentDepths) } ?? 0))
            case .inlineFragment(let fragment):
                deepest = max(deepest, depth(of: fragment.selectionSet, fragmentDepths: fragmentDepths))
            case .fragmentSpread(let spread):
                deepest = max(deepest, fragmentDepths[spread.name.value] ?? 0)
            }
        }
        return deepest
    }

    static func spreadNames(in selectionSet: SelectionSet) -> [String] {
        var names: [String] = []
        var pending = [selectionSet]
        while let set = pending.popLast() {
            for selection in set.selections {
                switch selection {
                case .fragmentSpread(let spread): names.append(spread.name.value)
                case .field(let field): if let inner = field.selectionSet { pending.append(inner) }
                case .inlineFragment(let fragment): pending.append(fragment.selectionSet)
                }
            }
        }
        return names
    }
}
