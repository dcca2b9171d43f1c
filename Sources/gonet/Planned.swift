import ArgumentParser

/// A command group whose implementation has not landed yet: it says so and which issue builds it.
protocol PlannedCommand: ParsableCommand {
    static var issue: Int { get }
}

extension PlannedCommand {
    func run() throws {
        throw ValidationError("`gonet \(Self.configuration.commandName ?? "")` is not implemented yet (issue \(Self.issue)).")
    }
}




struct TournamentCommand: PlannedCommand {
    static let configuration = CommandConfiguration(commandName: "tournament", abstract: "Run tournaments between networks and engines (not implemented yet).")
    static let issue = 7
}
