import Foundation

/// The engine's one error: a GTP command's failure (its message becomes the `? message`
/// response) or a player setting that cannot be used.
public struct EngineError: Error, LocalizedError, Equatable, CustomStringConvertible {
    /// What went wrong, as a GTP client or the command line shows it.
    public var message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { message }
    /// The message.
    public var description: String { message }
}
