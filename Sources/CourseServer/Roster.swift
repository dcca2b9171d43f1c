import Foundation
import HummingbirdBcrypt
import Tournament

/// The people who sign in to a course tournament, and their tokens. A token is
/// `gonet_LOOKUP_SECRET`: the lookup finds the row, the whole token is checked against a bcrypt
/// hash, so the store never holds a token and a stolen database signs nobody in.
public enum Roster {
    /// bcrypt's cost: 2^10 rounds take about 60 ms on one core, slow enough against guessing a
    /// stolen hash, fast enough to check a token at sign-in and on each uncached API call.
    public static let defaultCost: UInt8 = 10

    /// Adds `name` with a new token and returns the token, which is shown once and kept nowhere.
    public static func add(
        _ name: String, role: Student.Role = .student, to store: any TournamentStore, cost: UInt8 = defaultCost
    ) throws -> (student: Student, token: String) {
        guard Submission.isValidName(name) else {
            throw TournamentError("a name is 1 to 64 letters, digits, '-', '_' and '.': \"\(name)\"")
        }
        if try store.entrants().contains(where: { $0.name == name && $0.kind == .engine }) {
            throw TournamentError("\(name) is the name of an engine entrant: choose another name for the student")
        }
        let lookup = randomText(10)
        let token = "gonet_\(lookup)_\(randomText(32))"
        let student = try store.add(
            Student(name: name, role: role, lookup: lookup, tokenHash: Bcrypt.hash(token, cost: cost)))
        return (student, token)
    }

    /// The live (not revoked) student whose token this is, or nil. Slow by design (bcrypt).
    static func verify(_ token: String, among students: [Student]) -> Student? {
        guard let lookup = lookup(of: token),
            let student = students.first(where: { $0.lookup == lookup && $0.revoked == nil })
        else { return nil }
        return Bcrypt.verify(token, hash: student.tokenHash) ? student : nil
    }

    /// The lookup part of a well-formed token.
    static func lookup(of token: String) -> String? {
        let parts = token.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "gonet", parts[1].count == 10, parts[2].count == 32,
            (parts[1] + parts[2]).allSatisfy({ alphabet.contains($0) })
        else { return nil }
        return String(parts[1])
    }

    private static let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")

    /// `count` characters from a 32-letter alphabet without look-alikes: 5 bits each from the
    /// system's random source (32 characters: 160 bits).
    static func randomText(_ count: Int) -> String {
        var g = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(g.next() % 32)] })
    }
}
