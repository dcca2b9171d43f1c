import Foundation
import GoNetwork
import TestSupport
import Training
import XCTest

/// The recipes in examples/training: each loads, validates once given data and an output, and
/// trains a network within the course's 100,000-parameter budget; the afternoon recipe is as
/// long as its time budget.
final class RecipeTests: XCTestCase {
    func recipe(_ name: String) throws -> TrainingConfiguration {
        var c = try TrainingConfiguration.load(
            path: TestPaths.packageRoot.appendingPathComponent("examples/training/\(name)").path)
        c.data = [TestPaths.packageRoot.appendingPathComponent("Games/gnugo-selfplay-0000.sgf.zst").path]
        c.output = FileManager.default.temporaryDirectory.appendingPathComponent("recipe.safetensors").path
        try c.validate()
        return c
    }

    func testTheRecipesTrainBudgetNetworks() throws {
        let files = try FileManager.default.contentsOfDirectory(
            atPath: TestPaths.packageRoot.appendingPathComponent("examples/training").path)
        XCTAssertEqual(Set(files.filter { $0.hasSuffix(".json") }), ["budget.json", "budget-2h.json"])
        for name in ["budget.json", "budget-2h.json"] {
            let c = try recipe(name)
            XCTAssertEqual(FamilyNetwork(c.architecture).parameterCount, 99_011, name)
        }
        let afternoon = try recipe("budget-2h.json")
        XCTAssertNil(afternoon.steps)
        XCTAssertNil(afternoon.epochs)
        XCTAssertEqual(afternoon.maxMinutes, 120)
        // The same recipe as the shipped budget networks' in everything but its length.
        var budget = try recipe("budget.json")
        budget.steps = nil
        budget.maxMinutes = 120
        XCTAssertEqual(try settings(afternoon), try settings(budget))
    }

    func settings(_ c: TrainingConfiguration) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: c.json, options: .sortedKeys), as: UTF8.self)
    }
}
