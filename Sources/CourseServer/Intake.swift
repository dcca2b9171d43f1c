import Foundation
import ONNX
import Tournament

/// Takes a student's upload into the tournament: keeps the bytes under their sha256, runs every
/// check `gonet net check` runs (an ONNX model imported first, as `net import` does), enters an
/// accepted file as the student's next version, and records the verdict either way. One upload
/// is checked at a time; the tournament is changed only by an accepted file.
///
/// Sendable: its members are constants, and the tournament's store is safe from any thread
/// (GRDB's queue, PostgreSQL's pool); uploads are taken on one thread at a time.
struct Intake: @unchecked Sendable {
    let tournament: Tournament
    /// This executable, for the check that plays a move over GTP (nil skips that check).
    let gonet: String?
    /// Where uploads are kept, each named by its sha256.
    let folder: String

    /// What came of an upload.
    struct Outcome {
        var verdict: SubmissionVerdict
        var entrant: Entrant?
        var sha256: String
    }

    /// Checks the file at `path` (a temporary file the reader wrote; moved or removed here).
    func take(_ path: String, fileName: String, size: Int, from student: Student) throws -> Outcome {
        let fm = FileManager.default
        defer { try? fm.removeItem(atPath: path) }
        let shown = Self.displayName(fileName)
        if let closed = try tournament.store.courseSettings().submissionsClosed() {
            return try record(SubmissionVerdict.unreadable(shown, reason: closed), nil, "", size, student)
        }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let sha = SHA256.hex(bytes)
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let kept = (folder as NSString).appendingPathComponent(sha)
        if !fm.fileExists(atPath: kept) { try fm.moveItem(atPath: path, toPath: kept) }
        var verdict: SubmissionVerdict
        var entrant: Entrant?
        let onnx = !Self.looksLikeSafetensors(bytes)
        do {
            (verdict, entrant) = try ONNXImport.withNetworkFile(kept, onnx: onnx, name: student.name) { file in
                var v = Submission.verdict(
                    network: file, budget: tournament.config.parameterBudget, gonet: gonet)
                v.file = shown
                v.rename(file, to: shown)
                guard v.accepted else { return (v, nil) }
                do {
                    let e = try tournament.submit(
                        network: file, name: student.name, author: student.name, verdict: v)
                    return (v, e)
                } catch {
                    v.refuse("\(error)")
                    return (v, nil)
                }
            }
        } catch {
            verdict = .unreadable(
                shown,
                reason: "neither a gonet network file nor an ONNX model gonet can import: \(error)")
            verdict.rename(kept, to: shown)
        }
        return try record(verdict, entrant, sha, size, student)
    }

    private func record(
        _ v: SubmissionVerdict, _ e: Entrant?, _ sha: String, _ size: Int, _ student: Student
    ) throws -> Outcome {
        _ = try tournament.store.add(
            SubmissionRecord(
                student: student.name, fileName: v.file, sha256: sha, size: size, accepted: e != nil,
                verdict: v.text, entrant: e?.id))
        return Outcome(verdict: v, entrant: e, sha256: sha)
    }

    /// A safetensors file starts with its header's length (8 bytes, little-endian) and the header's `{`.
    static func looksLikeSafetensors(_ b: [UInt8]) -> Bool {
        guard b.count > 9, b[8] == UInt8(ascii: "{") else { return false }
        let n = (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[$1]) << (8 * UInt64($1)) }
        return n < UInt64(b.count)
    }

    /// The client's file name cut to its last path component, printable characters and 100 of them.
    static func displayName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(100))
        return clean.isEmpty ? "upload" : clean
    }
}
