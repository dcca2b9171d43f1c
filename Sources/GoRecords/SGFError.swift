import Foundation

/// A problem in an SGF file, with the place it was found.
public struct SGFError: Error, LocalizedError, Equatable, CustomStringConvertible {
    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }
    /// The file (or `<memory>`).
    public var file: String
    /// 1-based line and column (in bytes) of the offending text.
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
