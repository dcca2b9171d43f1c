/// How a network chooses its moves: its policy's move, or a search the network guides. Stored
/// by name ("policy", "mcts") in tournament configs and entrants.
public enum PlayMode: String, Codable, Sendable, CaseIterable {
    /// The network's most probable worthwhile move.
    case policy
    /// A PUCT search guided by the network.
    case mcts
}
