import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A scratch folder laid out like a reader's checkout, where documented commands run as written
/// but scaled down (`scaled`): the checkout's `Games/`, `Networks/` and `examples/`, a fresh
/// `Tournament/` holding the shipped `tournament.json`, and the files the docs assume a reader
/// already has — their own network (`mynet.safetensors` and the other names the pages use), an
/// ONNX export of it (`model.onnx`, `mynet.onnx`), a game (`game.sgf`), a folder of records
/// (`records/`) and a held-out archive (`heldout.games.zst`).
public final class DocsSandbox {
    /// The folder the commands run in.
    public let directory: URL
    private let database: (String) throws -> String
    private var databases: [String: String] = [:]
    private var launched = 0

    /// What one documented command did.
    public struct Outcome {
        /// The words it ran with, after scaling.
        public let words: [String]
        /// True when it exited 0, or, for a server or a waiting worker, served or waited until stopped.
        public let succeeded: Bool
        /// What it printed.
        public let stdout: String
        /// What it printed as errors and logs.
        public let stderr: String

        /// The command and what went wrong, for a failure message.
        public var summary: String {
            "gonet \(words.dropFirst().joined(separator: " "))\n\(stdout.suffix(600))\n\(stderr.suffix(1500))"
        }
    }

    /// A new sandbox. `database` turns a documented PostgreSQL database's name (`cup`) into the URL
    /// of a real, empty one; each name is asked once per sandbox.
    public init(
        database: @escaping (String) throws -> String = { name in
            throw SandboxError(message: "no PostgreSQL database for \(name)")
        }
    ) throws {
        let props = try Self.props()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-docs-\(UUID().uuidString)")
        self.database = database
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        for shared in ["Games", "Networks", "examples"] {
            try fm.createSymbolicLink(
                at: directory.appendingPathComponent(shared),
                withDestinationURL: TestPaths.packageRoot.appendingPathComponent(shared))
        }
        for name in try fm.contentsOfDirectory(atPath: props.path) {
            try fm.copyItem(at: props.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        try fm.createDirectory(at: directory.appendingPathComponent("tmp"), withIntermediateDirectories: true)
    }

    /// Deletes the folder.
    public func remove() { try? FileManager.default.removeItem(at: directory) }

    /// Runs one command in the folder. A server (`serve`) counts as working once it answers HTTP
    /// and a worker with `--wait` once it waits; both are then stopped with SIGTERM, as systemd
    /// would. Other commands get 5 minutes.
    public func run(_ command: DocumentedCommand) throws -> Outcome {
        var words = Self.scaled(command.words, freePort: { LocalPort.free() ?? 0 }).map { word -> String in
            word.hasPrefix("/tmp/") ? directory.path + word : word
        }
        for (i, word) in words.enumerated() where word.hasPrefix("postgres://") {
            let name = String(word.split(separator: "/").last?.split(separator: "?").first ?? "")
            if databases[name] == nil { databases[name] = try database(name) }
            words[i] = databases[name]!
        }
        let (process, out, err) = try launch(words, input: command.input)
        func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        let longLived = words.contains("--wait") || words.dropFirst().first == "serve"
        var succeeded = false
        if longLived {
            let port = words.firstIndex(of: "--port").flatMap { Int(words[$0 + 1]) }
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning && Date() < deadline && !succeeded {
                if let port {
                    succeeded = LocalPort.httpStatus(port) == 200
                } else {
                    succeeded = text(out).contains("waiting for") || text(out).contains("worker ")
                }
                if !succeeded { usleep(100_000) }
            }
            // Still alive after a moment: it did not fail on what came after its first line.
            if succeeded {
                usleep(500_000)
                succeeded = process.isRunning
            }
            process.terminate()
            succeeded = wait(process, seconds: 20) && succeeded
        } else {
            succeeded =
                wait(process, seconds: 300) && process.terminationReason == .exit
                && process.terminationStatus == 0
        }
        return Outcome(words: words, succeeded: succeeded, stdout: text(out), stderr: text(err))
    }

    /// Runs `commands` section by section (DocumentedCommand.section), each section in a sandbox
    /// of its own, in reading order, and answers each command with what went wrong, nil when
    /// nothing did. A section stops at its first failure: what follows would fail for that reason.
    public static func runBySection(
        _ commands: [DocumentedCommand],
        database: @escaping (String) throws -> String = { name in
            throw SandboxError(message: "no PostgreSQL database for \(name)")
        }
    ) throws -> [(command: DocumentedCommand, problem: String?)] {
        var sections: [[DocumentedCommand]] = []
        for c in commands {
            if let last = sections.last?.last, last.file == c.file, last.section == c.section {
                sections[sections.count - 1].append(c)
            } else {
                sections.append([c])
            }
        }
        var answers: [(DocumentedCommand, String?)] = []
        for section in sections {
            let sandbox = try DocsSandbox(database: database)
            defer { sandbox.remove() }
            for c in section {
                let start = Date()
                let o = try sandbox.run(c)
                // The slow ones show in the test log.
                print("\(c.location): \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
                let problem = o.succeeded ? Self.wrongOutput(o) : "failed"
                answers.append((c, problem.map { "\(c.location): \($0): \(o.summary)" }))
                if problem != nil { break }
            }
        }
        return answers
    }

    /// What a successful command's output lacks: a GTP engine answers every command with `=`, the
    /// analysis engine answers its query, standings show a crosstable.
    private static func wrongOutput(_ o: Outcome) -> String? {
        switch o.words.dropFirst().first {
        case "gtp":
            let answers = o.stdout.split(separator: "\n").filter { $0.hasPrefix("=") || $0.hasPrefix("?") }
            return answers.count >= 2 && answers.allSatisfy { $0.hasPrefix("=") }
                ? nil : "an answer is missing or refused"
        case "analysis":
            return o.stdout.contains("\"moveInfos\"") ? nil : "no analysis answered"
        case "tournament" where o.words.count > 2 && o.words[2] == "standings":
            return o.stdout.contains("crosstable") ? nil : "no crosstable"
        default:
            return nil
        }
    }

    /// The sizes of a documented command cut to a test's, its options otherwise as written: one
    /// game a pairing or match (a tournament made from a `tournament.json` included), 4 visits, 0.02 s a move, GNU Go at level 1, 3 training steps, 200
    /// positions evaluated, a 90-game archive for the 3,000-game one, `NET` as the reader's
    /// network, and a free port for a server.
    public static func scaled(_ words: [String], freePort: () -> Int) -> [String] {
        var out: [String] = []
        for word in words {
            switch out.last {
            case "--games": out.append("1")
            case "--visits": out.append("4")
            case "--seconds-per-move": out.append("0.02")
            case "--port": out.append(String(freePort()))
            default:
                if let r = word.range(of: #":mcts:\d+$"#, options: .regularExpression) {
                    out.append(word.replacingCharacters(in: r, with: ":mcts:4"))
                } else if let r = word.range(of: #"--level \d+"#, options: .regularExpression) {
                    out.append(word.replacingCharacters(in: r, with: "--level 1"))
                } else if word == "Games/tygem-2016-07-sample3000.sgf.zst" {
                    out.append("Games/gnugo-selfplay-0000.sgf.zst")
                } else if word == "NET" {
                    out.append("mynet.safetensors")
                } else {
                    out.append(word)
                }
            }
        }
        switch out.dropFirst().first {
        case "train": out += ["--steps", "3", "--validation-positions", "100"]
        case "eval": out += ["--positions", "200"]
        case "match" where !out.contains("--games"): out += ["--games", "1"]
        case "tournament" where out.count > 2 && out[2] == "init" && !out.contains("--games"): out += ["--games", "1"]
        case "serve" where !out.contains("--port"): out += ["--port", String(freePort())]
        default: break
        }
        return out
    }

    private func launch(_ words: [String], input: String?) throws -> (Process, URL, URL) {
        launched += 1
        let logs = directory.appendingPathComponent(".logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let out = logs.appendingPathComponent("\(launched).out")
        let err = logs.appendingPathComponent("\(launched).err")
        let stdin = logs.appendingPathComponent("\(launched).in")
        for file in [out, err] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        _ = FileManager.default.createFile(atPath: stdin.path, contents: Data((input ?? "").utf8))
        let p = Process()
        p.executableURL = TestPaths.gonet
        p.arguments = Array(words.dropFirst())
        p.currentDirectoryURL = directory
        p.standardInput = try FileHandle(forReadingFrom: stdin)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        return (p, out, err)
    }

    /// Waits for the process to end; after `seconds` kills it and answers false.
    private func wait(_ p: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        guard p.isRunning else { return true }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        return false
    }

    /// The files every sandbox starts with, made once per test process.
    private static let madeProps = Mutex<URL?>(nil)

    private static func props() throws -> URL {
        try madeProps.withLock { made in
            if let made { return made }
            let fm = FileManager.default
            let dir = fm.temporaryDirectory.appendingPathComponent("gonet-docs-props-\(UUID().uuidString)")
            try fm.createDirectory(at: dir.appendingPathComponent("records"), withIntermediateDirectories: true)
            try fm.createDirectory(at: dir.appendingPathComponent("Tournament"), withIntermediateDirectories: true)
            for file in ["tournament.json", "README.md"] {
                try fm.copyItem(
                    at: TestPaths.packageRoot.appendingPathComponent("Tournament/" + file),
                    to: dir.appendingPathComponent("Tournament/" + file))
            }
            let network = TestPaths.packageRoot.appendingPathComponent("Networks/budget-resnet5x32.safetensors")
            for name in ["mynet", "new", "old", "alice", "net"] {
                try fm.copyItem(at: network, to: dir.appendingPathComponent(name + ".safetensors"))
            }
            try Data(game.utf8).write(to: dir.appendingPathComponent("game.sgf"))
            try Data(game.utf8).write(to: dir.appendingPathComponent("records/game.sgf"))
            for step in [
                ["net", "export", "mynet.safetensors", "-o", "model.onnx"],
                ["games", "import", "records", "-o", "heldout.games.zst"],
            ] {
                let p = Process()
                p.executableURL = TestPaths.gonet
                p.arguments = step
                p.currentDirectoryURL = dir
                p.standardOutput = FileHandle.nullDevice
                try p.run()
                p.waitUntilExit()
                guard p.terminationStatus == 0 else {
                    throw SandboxError(message: "gonet \(step.joined(separator: " ")) failed")
                }
            }
            try fm.copyItem(at: dir.appendingPathComponent("model.onnx"), to: dir.appendingPathComponent("mynet.onnx"))
            made = dir
            atexit { DocsSandbox.madeProps.withLock { $0.map { try? FileManager.default.removeItem(at: $0) } } }
            return dir
        }
    }

    /// A short game the reader reviews or imports: 24 moves, counted to a white win.
    private static let game = """
        (;GM[1]FF[4]SZ[19]KM[7.5]RU[Chinese]PB[Ann]PW[Bob]RE[W+R]
        ;B[pd];W[dp];B[pp];W[dd];B[fq];W[cn];B[jp];W[qf];B[nc];W[pj];B[rd];W[qn]
        ;B[pn];W[pm];B[on];W[qo];B[qp];W[om];B[nm];W[nl];B[mm];W[cf];B[jd];W[lq])
        """

    /// Why a sandbox could not be made.
    public struct SandboxError: Error, CustomStringConvertible {
        /// What could not be made.
        public let message: String
        /// An error saying `message`.
        public init(message: String) { self.message = message }
        /// The message.
        public var description: String { message }
    }
}
