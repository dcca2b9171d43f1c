import Foundation
import GTP
import GoNetwork
import GoRules

/// Checks a submitted network against the tournament's rules; every reason a file is refused
/// comes back together.
public enum Submission {
    /// The entrant name a network file gives itself: its metadata's `name` when that is a valid
    /// entrant name, else the file name without its extension.
    public static func name(ofNetwork path: String) throws -> String {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if let own = try? NetworkFile.load(path: path).metadata["name"], isValidName(own) { return own }
        guard isValidName(stem) else {
            throw TournamentError(
                "\(path) has no usable name: give one with --name (1 to 64 letters, digits, '-', '_', '.')")
        }
        return stem
    }

    /// 1 to 64 letters, digits, '-', '_' and '.'.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
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
