/// The nodes of one parsed document, stored flat: every node is a fixed-size record in one
/// array, and every list of children is a run of node indices in another. Parsing a document
/// therefore makes a handful of allocations however many nodes it has, and dropping it frees
/// them at once; the public node types (`Field`, `Value`, …) are small views into this storage.
public final class SyntaxTree: @unchecked Sendable {
    // Sendable because nothing writes to the buffers after init: the parser hands them over
    // finished, the tree only reads them and frees them in deinit, so threads share reads only.
    /// The document's bytes: names, numbers and strings are read from them when asked for.
    let bytes: [UInt8]
    let nodes: UnsafeBufferPointer<SyntaxNode>
    /// Lists of children: at a list's offset, its length, then that many node indices.
    /// Offset 0 holds the empty list.
    let lists: UnsafeBufferPointer<UInt32>

    init(bytes: [UInt8], nodes: UnsafeBufferPointer<SyntaxNode>, lists: UnsafeBufferPointer<UInt32>) {
        self.bytes = bytes
        self.nodes = nodes
        self.lists = lists
    }

    deinit {
        nodes.deallocate()
        lists.deallocate()
    }

    /// Memory the tree holds besides the source bytes: its nodes and lists.
    public var storageBytes: Int {
        nodes.count * MemoryLayout<SyntaxNode>.stride + lists.count * MemoryLayout<UInt32>.stride
    }

    @inline(__always)
    subscript(index: UInt32) -> SyntaxNode {
        nodes[Int(index)]
    }

    /// The source text from `start` to `end`.
    func text(_ location: Location) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[location.start..<location.end]), as: UTF8.self)
        }
    }

    /// The value of a string or block string token at `location`, escapes resolved or dedented.
    func stringValue(_ location: Location, isBlock: Bool) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            var lexer = Lexer(bytes: buffer)
            lexer.position = location.start
            return (try? isBlock ? lexer.readBlockString() : lexer.readString(decoding: true)) ?? ""
        }
    }
}

/// What a node is; its children's meaning in `SyntaxNode.children` follows from it.
enum SyntaxKind: UInt8 {
    case none
    case name
    // Values and descriptions
    case variable, int, float, string, blockString, boolean, null, enumValue, list, object, objectField
    // Types (a named type is its name)
    case listType, nonNullType
    // Executable
    case argument, directive, operation, variableDefinition, selectionSet, field, fragmentSpread, inlineFragment,
         fragmentDefinition
    // Type system
    case schema, operationType, scalarType, objectType, interfaceType, unionType, enumType, enumValueDefinition,
         inputObjectType, fieldDefinition, inputValueDefinition, directiveDefinition
}

/// One node: its kind, a small flag (operation type, boolean value, repeatable, extension), its
/// location and up to five children — node indices or list offsets, 0 meaning none.
struct SyntaxNode: BitwiseCopyable {
    /// `flag` of a type or schema node that extends rather than defines.
    static let extensionFlag: UInt8 = 1

    var kind: SyntaxKind
    var flag: UInt8
    var location: Location
    var a: UInt32 = 0
    var b: UInt32 = 0
    var c: UInt32 = 0
    var d: UInt32 = 0
    var e: UInt32 = 0

    init(_ kind: SyntaxKind, flag: UInt8 = 0, _ location: Location,
         a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0, e: UInt32 = 0) {
        self.kind = kind
        self.flag = flag
        self.location = location
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.e = e
    }
}

/// A node type that reads itself from a tree: what `SyntaxList` hands out.
public protocol SyntaxView: Sendable {
    init(tree: SyntaxTree, index: UInt32)
}

/// The children of a node in source order, read from the tree as they are visited.
public struct SyntaxList<Element: SyntaxView>: RandomAccessCollection, Sendable, Hashable {
    let tree: SyntaxTree
    let offset: Int

    init(_ tree: SyntaxTree, _ offset: UInt32) {
        self.tree = tree
        self.offset = Int(offset)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(tree.lists[offset]) }

    public subscript(position: Int) -> Element {
        // Positions come from iterating the list (the parser built it); no client value indexes it.
        precondition(position >= 0 && position < endIndex, "SyntaxList index out of range")
        return Element(tree: tree, index: tree.lists[offset + 1 + position])
    }

    public static func == (lhs: SyntaxList, rhs: SyntaxList) -> Bool {
        lhs.tree === rhs.tree && lhs.offset == rhs.offset
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(tree))
        hasher.combine(offset)
    }
}

/// Identity of a view: the tree it reads and the node it stands for.
public protocol SyntaxNodeView: SyntaxView, Hashable {
    var tree: SyntaxTree { get }
    var index: UInt32 { get }
}

extension SyntaxNodeView {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.tree === rhs.tree && lhs.index == rhs.index
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(tree))
        hasher.combine(index)
    }

    var node: SyntaxNode { tree[index] }

    public var location: Location { tree[index].location }

    func name(_ child: UInt32) -> Name { Name(tree: tree, index: child) }

    func optionalName(_ child: UInt32) -> Name? { child == 0 ? nil : Name(tree: tree, index: child) }

    func description(_ child: UInt32) -> Description? { child == 0 ? nil : Description(tree: tree, index: child) }

    func list<Element>(_ offset: UInt32) -> SyntaxList<Element> { SyntaxList(tree, offset) }
}
