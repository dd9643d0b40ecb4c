import GraphQLLanguage

/// What an operation is likely to cost, before it runs: the fields it selects times how deep
/// they nest, with every fragment counted wherever it is spread. One number that grows with
/// both breadth and depth, so that rate limits can count one huge query as many small ones.
public enum OperationCost {
    public static func estimate(_ operation: OperationDefinition, in document: Document) -> Int {
        var fragments: [String: FragmentDefinition] = [:]
        for fragment in document.fragments { fragments[fragment.name.value] = fragment }
        let (depths, _, counts) = SelectionDepth.fragmentDepths(document, fragments: fragments)
        let fields = SelectionDepth.count(of: operation.selectionSet, fragmentCounts: counts)
        let depth = SelectionDepth.depth(of: operation.selectionSet, fragmentDepths: depths)
        let (product, overflow) = fields.multipliedReportingOverflow(by: max(1, depth))
        return overflow ? Int.max : min(product, Int.max)
    }
}
