import Engine
import GoNetwork

/// The player the engine targets fuzz with: a tiny network's policy, four judgement playouts
/// instead of 128 (the code paths are the same, 30 times faster). The engine's logic is what is
/// fuzzed, not the network's speed.
public func tinyPlayer() -> (player: PolicyPlayer, network: PolicyValueNetwork) {
    let net = FamilyNetwork(
        Architecture.Family(
            trunk: .resnet, blocks: 1, filters: 4, policyHead: .conv, policyFilters: 1,
            valueHead: .pool, valueFilters: 1, valueHidden: 2))
    net.initialize(seed: 1)
    let player = PolicyPlayer(network: net, symmetries: false)
    player.judgementPlayouts = 4
    return (player, net)
}
