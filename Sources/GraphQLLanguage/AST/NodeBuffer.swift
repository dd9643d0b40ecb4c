/// An append-only buffer of plain values for building a `SyntaxTree`: appending is a capacity
/// check and a store, without the uniqueness checks of an `Array`. Its owner deallocates it, or
/// hands its storage to a tree.
struct NodeBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 4)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count &+= 1
    }

    @inline(__always)
    subscript(index: Int) -> Element {
        base[index]
    }

    /// Appends `other[from..<other.count]`: the run of children a list takes over.
    mutating func append(suffixOf other: NodeBuffer<Element>, from start: Int) {
        let added = other.count &- start
        while count &+ added > capacity { grow() }
        // Lists are short: a loop beats a call to memmove.
        for offset in 0..<added {
            (base + (count &+ offset)).initialize(to: other.base[start &+ offset])
        }
        count &+= added
    }

    /// Forgets the last `removed` elements.
    @inline(__always)
    mutating func removeLast(_ removed: Int) {
        count &-= removed
    }

    private mutating func grow() {
        capacity *= 2
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
    }

    /// The elements, for a tree that takes over the storage (and deallocates it).
    var elements: UnsafeBufferPointer<Element> {
        UnsafeBufferPointer(start: base, count: count)
    }

    func deallocate() {
        base.deallocate()
    }
}
