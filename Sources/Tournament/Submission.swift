import Foundation
import GTP
import GoNetwork
import GoRules

/// Checks a submitted network against the tournament's rules; every reason a file is refused
/// comes back together.
public enum Submission {
    /// Problems with a network file: the loader's checks (docs/FORMATS.md's and one forward pass) and the parameter budget.
    public static func problems(network path: String, budget: Int) -> (network: PolicyValueNetwork?, reasons: [String])
    {
        let net: PolicyValueNetwork
        do { net = try PolicyValueNetwork.load(path: path) } catch let e as NetworkError {
            return (nil, e.reasons)
        } catch {
            return (nil, ["\(error)"])
        }
        var reasons: [String] = []
        if net.parameterCount > budget {
            reasons.append("\(net.parameterCount) parameters exceed the budget of \(budget)")
        }
        return (net, reasons)
    }

    /// Splits an engine command line, honouring single and double quotes.
    public static func words(_ command: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character? = nil
        var any = false
        for ch in command {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "\"" || ch == "'" {
                quote = ch
                any = true
            } else if ch == " " || ch == "\t" {
                if !current.isEmpty || any {
                    out.append(current)
                    current = ""
                    any = false
                }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty || any { out.append(current) }
        return out
    }

    /// Starts an engine and asks its name: nil when it answers, the reason otherwise.
    static func engineProblem(_ command: [String]) -> String? {
        guard !command.isEmpty else { return "empty command" }
        let client: GTPClient
        do { client = try GTPClient(command: command) } catch { return "cannot start \(command[0]): \(error)" }
        defer { client.stop() }
        switch client.send("protocol_version", timeout: 15) {
        case .success: return nil
        case .failure(let m): return "protocol_version failed: \(m)"
        case .timeout: return "no answer to protocol_version within 15 s"
        case .crashed: return "the engine exited at once"
        }
    }
}
