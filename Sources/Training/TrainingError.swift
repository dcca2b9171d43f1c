import Foundation

/// Why training cannot start or go on: a setting, a file, or a run that had to stop.
public struct TrainingError: Error, LocalizedError, Equatable, CustomStringConvertible {
    /// What kind of problem, for the command line to present it.
    public enum Kind: Equatable, Sendable {
        /// A setting (flag or config key) that cannot be used; the message names it.
        case setting
        /// A file (config, checkpoint, log, data) that cannot be read or written; the message names it.
        case file
        /// A run that stopped early (a loss that is no longer finite), saying what was kept.
        case stopped
    }

    /// What kind of problem.
    public var kind: Kind
    /// What is wrong, naming the setting or file.
    public var message: String

    /// A problem of `kind`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }

    /// The message.
    public var description: String { message }
}
