import Foundation

/// A network (file, architecture or graph) that cannot be used, with every reason found.
public struct NetworkError: Error, LocalizedError, Equatable, CustomStringConvertible {
    /// The network file, when the problem is in one.
    public var path: String?
    /// What is wrong, one item per problem.
    public var reasons: [String]

    /// The problems of the network file at `path`.
    public init(path: String, reasons: [String]) {
        self.path = path
        self.reasons = reasons
    }

    /// A problem of an architecture or graph, before it is tied to a file.
    public init(_ reason: String) {
        path = nil
        reasons = [reason]
    }

    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }

    /// The file, when there is one, then every reason.
    public var description: String { (path.map { "\($0): " } ?? "") + reasons.joined(separator: "; ") }
}
