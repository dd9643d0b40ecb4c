import GraphQLLanguage
import GraphQLTypeSystem

/// The search behind OverlappingFieldsCanBeMergedRule, with graphql-js's caches (field maps per
/// selection set, compared fragment pairs) and one addition against quadratic work: fields are
/// grouped by a signature, a pair of signatures is compared once, and identical fields are
/// skipped when their sub-selection cannot conflict with itself. Stops after `budget` conflicts.
final class OverlapSearch {
    struct FieldEntry {
        var parentType: String?
        var node: Field
        /// The field's definition on an object or interface parent (not meta-fields, as in graphql-js).
        var definition: GraphQLField?
    }

    /// Fields by response key, in order of first appearance, and the fragment names spread.
    struct FieldMap {
        var key: Int
        var order: [String] = []
        var fields: [String: [FieldEntry]] = [:]
        var fragmentNames: [String] = []
    }

    let schema: GraphQLSchema
    let fragments: [String: FragmentDefinition]
    let budget: Int
    /// Pairs of fields compared so far, and the most the search may compare: fields whose
    /// sub-selections all differ still need a comparison per pair, so the work is bounded.
    private(set) var comparisons = 0
    let maxComparisons: Int
    var isOverBudget: Bool { comparisons > maxComparisons }
    private var fieldMaps: [Int: FieldMap] = [:]
    private var comparedFragments: [String: [String: Bool]] = [:]
    private var signatures: [Int: String] = [:]
    private var selfConsistent: [String: Bool] = [:]
    private var fragmentSignatures: [String: String] = [:]

    init(schema: GraphQLSchema, fragments: [String: FragmentDefinition], budget: Int, maxComparisons: Int) {
        self.schema = schema
        self.fragments = fragments
        self.budget = budget
        self.maxComparisons = maxComparisons
    }

    func conflictsWithin(_ selectionSet: SelectionSet, parentType: String?) -> [FieldConflict] {
        var conflicts: [FieldConflict] = []
        let map = fieldMap(selectionSet, parentType: parentType)
        collectWithin(&conflicts, map)
        for name in map.fragmentNames {
            collectBetweenFieldsAndFragment(&conflicts, false, map, name)
        }
        // graphql-js compares every pair of spread fragments; fragments with the same content are
        // compared once, and all their pairs only when that comparison finds a conflict.
        let groups = groupedFragments(map.fragmentNames)
        for (index, group) in groups.enumerated() {
            if group.count > 1 {
                compareFragmentGroups(&conflicts, false, group, nil)
            }
            for other in groups[(index + 1)...] {
                compareFragmentGroups(&conflicts, false, group, other)
            }
        }
        return conflicts
    }

    /// Compares two groups of same-content fragments through a representative pair first. Within
    /// one selection set a group is compared with itself (`second` is `nil`, every pair once);
    /// between two selection sets the groups may hold the same names, and a fragment is never
    /// compared with itself (as in graphql-js), so the representative is a pair of two names.
    func compareFragmentGroups(_ conflicts: inout [FieldConflict], _ exclusive: Bool, _ first: [String], _ second: [String]?) {
        guard !isOverBudget else { return }
        let pairs = Self.fragmentPairs(first, second)
        // A pair compared before (from another selection set) says nothing new; a fresh one
        // speaks for every pair of the two groups.
        guard let representative = pairs.first(where: { $0.0 != $0.1 && !comparedHas($0.0, $0.1, exclusive) }) else { return }
        let before = conflicts.count
        collectBetweenFragments(&conflicts, exclusive, representative.0, representative.1)
        guard conflicts.count > before else { return }
        for (name1, name2) in pairs where name1 != name2 && !(name1 == representative.0 && name2 == representative.1) {
            guard conflicts.count < budget, !isOverBudget else { return }
            collectBetweenFragments(&conflicts, exclusive, name1, name2)
        }
    }

    /// Every unordered pair of one group (`second` nil), or every pair across two groups, lazily.
    static func fragmentPairs(_ first: [String], _ second: [String]?) -> some Sequence<(String, String)> {
        first.enumerated().lazy.flatMap { index, name1 in
            (second.map { $0[...] } ?? first[(index + 1)...]).lazy.map { (name1, $0) }
        }
    }

    /// Fragment names split by content (type condition and printed body), in order of first appearance.
    func groupedFragments(_ names: [String]) -> [[String]] {
        var index: [String: Int] = [:]
        var groups: [[String]] = []
        for name in names {
            let key = fragmentSignature(name)
            if let position = index[key] {
                groups[position].append(name)
            } else {
                index[key] = groups.count
                groups.append([name])
            }
        }
        return groups
    }

    func fragmentSignature(_ name: String) -> String {
        if let cached = fragmentSignatures[name] { return cached }
        // An unknown fragment gets a signature of its own: nothing to compare.
        let signature = fragments[name].map { "\($0.typeCondition.value)\u{1F}\(Printer.print($0.selectionSet))" } ?? "\u{1E}" + name
        fragmentSignatures[name] = signature
        return signature
    }

    // MARK: graphql-js's steps

    func collectBetweenFieldsAndFragment(_ conflicts: inout [FieldConflict], _ exclusive: Bool, _ map: FieldMap, _ name: String) {
        guard conflicts.count < budget, !isOverBudget, let fragment = fragments[name] else { return }
        let other = fragmentMap(fragment)
        guard other.key != map.key else { return }
        collectBetween(&conflicts, exclusive, map, other)
        for referenced in other.fragmentNames {
            if comparedHas(referenced, name, exclusive) { continue }
            comparedAdd(referenced, name, exclusive)
            collectBetweenFieldsAndFragment(&conflicts, exclusive, map, referenced)
        }
    }

    func collectBetweenFragments(_ conflicts: inout [FieldConflict], _ exclusive: Bool, _ name1: String, _ name2: String) {
        guard conflicts.count < budget, !isOverBudget, name1 != name2, !comparedHas(name1, name2, exclusive) else { return }
        comparedAdd(name1, name2, exclusive)
        guard let fragment1 = fragments[name1], let fragment2 = fragments[name2] else { return }
        let map1 = fragmentMap(fragment1)
        let map2 = fragmentMap(fragment2)
        collectBetween(&conflicts, exclusive, map1, map2)
        for referenced in map2.fragmentNames { collectBetweenFragments(&conflicts, exclusive, name1, referenced) }
        for referenced in map1.fragmentNames { collectBetweenFragments(&conflicts, exclusive, referenced, name2) }
    }

    func conflictsBetweenSubSelections(_ exclusive: Bool, _ type1: String?, _ set1: SelectionSet,
                                       _ type2: String?, _ set2: SelectionSet) -> [FieldConflict] {
        var conflicts: [FieldConflict] = []
        let map1 = fieldMap(set1, parentType: type1)
        let map2 = fieldMap(set2, parentType: type2)
        collectBetween(&conflicts, exclusive, map1, map2)
        for name in map2.fragmentNames { collectBetweenFieldsAndFragment(&conflicts, exclusive, map1, name) }
        for name in map1.fragmentNames { collectBetweenFieldsAndFragment(&conflicts, exclusive, map2, name) }
        let groups2 = groupedFragments(map2.fragmentNames)
        for group1 in groupedFragments(map1.fragmentNames) {
            for group2 in groups2 { compareFragmentGroups(&conflicts, exclusive, group1, group2) }
        }
        return conflicts
    }

    func collectWithin(_ conflicts: inout [FieldConflict], _ map: FieldMap) {
        for responseName in map.order {
            guard let fields = map.fields[responseName], fields.count > 1 else { continue }
            let groups = grouped(fields)
            for (index, group) in groups.enumerated() {
                // Copies of one field conflict only if its sub-selection conflicts with itself.
                if group.count > 1 && !isSelfConsistent(group[0], signature(group[0])) {
                    for first in 0..<group.count {
                        for second in (first + 1)..<group.count {
                            guard conflicts.count < budget, !isOverBudget else { return }
                            if let conflict = findConflict(false, responseName, group[first], group[second]) { conflicts.append(conflict) }
                        }
                    }
                }
                for other in groups[(index + 1)...] {
                    guard collectBetweenGroups(&conflicts, false, responseName, group, other) else { return }
                }
            }
        }
    }

    func collectBetween(_ conflicts: inout [FieldConflict], _ exclusive: Bool, _ map1: FieldMap, _ map2: FieldMap) {
        for responseName in map1.order {
            guard let fields1 = map1.fields[responseName], let fields2 = map2.fields[responseName] else { continue }
            let groups2 = grouped(fields2)
            for group1 in grouped(fields1) {
                for group2 in groups2 {
                    guard collectBetweenGroups(&conflicts, exclusive, responseName, group1, group2) else { return }
                }
            }
        }
    }

    /// Compares two groups of same-signature fields through their first members; only when
    /// those conflict, every other pair. The first pair's conflict is kept rather than looked
    /// for again: fragment pairs compared once are not compared twice, so a second search would
    /// come back empty. False when the search must stop (error limit or budget).
    func collectBetweenGroups(_ conflicts: inout [FieldConflict], _ exclusive: Bool, _ responseName: String,
                              _ group1: [FieldEntry], _ group2: [FieldEntry]) -> Bool {
        guard !isOverBudget else { return false }
        guard let first = findConflict(exclusive, responseName, group1[0], group2[0]) else { return true }
        conflicts.append(first)
        for (index1, a) in group1.enumerated() {
            for (index2, b) in group2.enumerated() where index1 != 0 || index2 != 0 {
                guard conflicts.count < budget, !isOverBudget else { return false }
                if let conflict = findConflict(exclusive, responseName, a, b) { conflicts.append(conflict) }
            }
        }
        return conflicts.count < budget
    }

    /// Fields split by signature, in order of first appearance: members of a group compare alike.
    func grouped(_ fields: [FieldEntry]) -> [[FieldEntry]] {
        var index: [String: Int] = [:]
        var groups: [[FieldEntry]] = []
        for field in fields {
            let key = signature(field)
            if let position = index[key] {
                groups[position].append(field)
            } else {
                index[key] = groups.count
                groups.append([field])
            }
        }
        return groups
    }

    func findConflict(_ parentsExclusive: Bool, _ responseName: String, _ a: FieldEntry, _ b: FieldEntry) -> FieldConflict? {
        comparisons += 1
        guard !isOverBudget else { return nil }
        let exclusive = parentsExclusive || (a.parentType != b.parentType && isObject(a.parentType) && isObject(b.parentType))
        if !exclusive {
            if a.node.name.value != b.node.name.value {
                return FieldConflict(responseName: responseName,
                                     reason: .message("\"\(a.node.name.value)\" and \"\(b.node.name.value)\" are different fields"),
                                     fields1: [a.node], fields2: [b.node])
            }
            if Self.argumentsKey(a.node) != Self.argumentsKey(b.node) {
                return FieldConflict(responseName: responseName, reason: .message("they have differing arguments"),
                                     fields1: [a.node], fields2: [b.node])
            }
        }
        if let type1 = a.definition?.type, let type2 = b.definition?.type, typesConflict(type1, type2) {
            return FieldConflict(responseName: responseName,
                                 reason: .message("they return conflicting types \"\(type1)\" and \"\(type2)\""),
                                 fields1: [a.node], fields2: [b.node])
        }
        guard let set1 = a.node.selectionSet, let set2 = b.node.selectionSet else { return nil }
        let inner = conflictsBetweenSubSelections(exclusive, a.definition?.type.namedType, set1, b.definition?.type.namedType, set2)
        guard !inner.isEmpty else { return nil }
        return FieldConflict(responseName: responseName, reason: .subfields(inner.map { ($0.responseName, $0.reason) }),
                             fields1: [a.node] + inner.flatMap(\.fields1), fields2: [b.node] + inner.flatMap(\.fields2))
    }

    func typesConflict(_ type1: GraphQLTypeRef, _ type2: GraphQLTypeRef) -> Bool {
        switch (type1, type2) {
        case (.list(let inner1), .list(let inner2)): return typesConflict(inner1, inner2)
        case (.list, _), (_, .list): return true
        case (.nonNull(let inner1), .nonNull(let inner2)): return typesConflict(inner1, inner2)
        case (.nonNull, _), (_, .nonNull): return true
        case (.named(let name1), .named(let name2)):
            let leaf = schema.type(named: name1)?.isLeaf == true || schema.type(named: name2)?.isLeaf == true
            return leaf && name1 != name2
        }
    }

    func isObject(_ name: String?) -> Bool {
        guard let name, case .object? = schema.type(named: name) else { return false }
        return true
    }

    // MARK: Field maps and caches

    func fieldMap(_ selectionSet: SelectionSet, parentType: String?) -> FieldMap {
        let key = selectionSet.location.start
        if let cached = fieldMaps[key] { return cached }
        var map = FieldMap(key: key)
        var seenFragments: Set<String> = []
        collectFields(selectionSet, parentType: parentType, into: &map, seenFragments: &seenFragments)
        fieldMaps[key] = map
        return map
    }

    func fragmentMap(_ fragment: FragmentDefinition) -> FieldMap {
        if let cached = fieldMaps[fragment.selectionSet.location.start] { return cached }
        let type = schema.type(named: fragment.typeCondition.value) != nil ? fragment.typeCondition.value : nil
        return fieldMap(fragment.selectionSet, parentType: type)
    }

    private func collectFields(_ selectionSet: SelectionSet, parentType: String?, into map: inout FieldMap, seenFragments: inout Set<String>) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                let definition = parentType.flatMap { schema.type(named: $0)?.objectType?.field(named: field.name.value) }
                let key = field.responseKey
                if map.fields[key] == nil { map.order.append(key) }
                map.fields[key, default: []].append(FieldEntry(parentType: parentType, node: field, definition: definition))
            case .fragmentSpread(let spread):
                if seenFragments.insert(spread.name.value).inserted { map.fragmentNames.append(spread.name.value) }
            case .inlineFragment(let fragment):
                let type = fragment.typeCondition.map { schema.type(named: $0.value) != nil ? $0.value : nil } ?? parentType
                collectFields(fragment.selectionSet, parentType: type, into: &map, seenFragments: &seenFragments)
            }
        }
    }

    /// graphql-js's PairSet: a pair compared as not mutually exclusive also covers the exclusive case.
    func comparedHas(_ a: String, _ b: String, _ exclusive: Bool) -> Bool {
        let (first, second) = a < b ? (a, b) : (b, a)
        guard let stored = comparedFragments[first]?[second] else { return false }
        return exclusive ? true : stored == exclusive
    }

    func comparedAdd(_ a: String, _ b: String, _ exclusive: Bool) {
        let (first, second) = a < b ? (a, b) : (b, a)
        comparedFragments[first, default: [:]][second] = exclusive
    }

    /// Everything findConflict looks at, as text: equal signatures compare alike.
    func signature(_ entry: FieldEntry) -> String {
        let key = entry.node.location.start
        if let cached = signatures[key] { return cached }
        let text = [entry.parentType ?? "", entry.node.name.value, Self.argumentsKey(entry.node),
                    entry.definition.map { "\($0.type)" } ?? "", entry.node.selectionSet.map(Printer.print) ?? ""]
            .joined(separator: "\u{1F}")
        signatures[key] = text
        return text
    }

    /// Whether a field with this signature cannot conflict with an identical copy of itself.
    func isSelfConsistent(_ entry: FieldEntry, _ signature: String) -> Bool {
        if let known = selfConsistent[signature] { return known }
        selfConsistent[signature] = true
        // The fragment pairs this trial compares are marked as compared; when it finds a
        // conflict, the real pairs must compare them again, so the marks are taken back.
        let compared = comparedFragments
        let consistent = findConflict(false, entry.node.responseKey, entry, entry) == nil
        if !consistent { comparedFragments = compared }
        selfConsistent[signature] = consistent
        return consistent
    }

    /// Arguments as graphql-js compares them: an object of the arguments, fields sorted, printed.
    static func argumentsKey(_ field: Field) -> String {
        guard !field.arguments.isEmpty else { return "{}" }
        return "{" + field.arguments.sorted { $0.name.value < $1.name.value }
            .map { "\($0.name.value): \(printSorted($0.value))" }.joined(separator: ", ") + "}"
    }

    /// A value printed with the fields of its objects in name order.
    static func printSorted(_ value: Value) -> String {
        switch value.kind {
        case .object(let fields):
            "{" + fields.sorted { $0.name.value < $1.name.value }
                .map { $0.name.value + ": " + printSorted($0.value) }.joined(separator: ", ") + "}"
        case .list(let items):
            "[" + items.map(printSorted).joined(separator: ", ") + "]"
        default:
            Printer.print(value)
        }
    }
}
