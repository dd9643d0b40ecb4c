/// A problem starting, reusing or stopping the embedded PostgreSQL cluster, worded for the operator.
public struct EmbeddedClusterError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
