import Engine
import Foundation
import GoNetwork
import GoRecords
import GoRules
import XCTest

/// A network with every weight zero: a uniform policy and a value of 0, so a player's choices
/// come from its rules (eyes, passing, Tromp-Taylor) alone.
func uniformNetwork() -> PolicyValueNetwork {
    FamilyNetwork(
        Architecture.Family(
            trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 2, valueHead: .pool,
            valueFilters: 2, valueHidden: 4))
}

/// A network whose policy is the softmax of `logits` (point index → logit; 0 elsewhere)
/// whatever the position and its orientation: a fully connected policy head with zero weights
/// and these biases.
func scriptedNetwork(_ logits: [Int: Float]) -> PolicyValueNetwork {
    let net = FamilyNetwork(
        Architecture.Family(
            trunk: .resnet, blocks: 1, filters: 8, policyHead: .fc, policyFilters: 2,
            valueHead: .pool, valueFilters: 2, valueHidden: 4))
    let bias = net.parameters.first { $0.name == "policy.fc.bias" }!
    for (i, v) in logits { bias.value[i] = v }
    net.weightsChanged()
    return net
}

/// An SGF file of a 19x19 position built by `stone(x, y)`, written to a temporary path.
func positionFile(_ name: String, komi: Double = 0, _ stone: (Int, Int) -> Stone?) throws -> String {
    var r = GameRecord(size: 19, komi: komi)
    for y in 0..<19 {
        for x in 0..<19 {
            if let s = stone(x, y) { r.setup.append(PlayedMove(s, .play(Point(x: x, y: y)))) }
        }
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-\(name)-\(UUID().uuidString).sgf")
        .path
    try SGFWriter.sgf(r).write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Starts a streaming analysis command on `engine` (its answer `=ID` checked) and returns the
/// first line it streams within 10 s, the analysis stopped.
func firstAnalysisLine(_ engine: GTPEngine, _ command: String, id: String = "") -> String? {
    let lines = LockedLines()
    engine.output = { lines.append($0) }
    XCTAssertEqual(engine.handle(command), "=\(id)\n\n")
    let deadline = Date().addingTimeInterval(10)
    while lines.all.isEmpty && Date() < deadline { usleep(10_000) }
    engine.stopAnalysis()
    return lines.all.first
}
