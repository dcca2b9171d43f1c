import Foundation

/// Someone who signs in to a course tournament's web server (`gonet serve`): a student who hands
/// in networks, or the teacher who runs the tournament. Only a hash of their token is kept.
public struct Student: Sendable, Equatable {
    /// What a signed-in person may do.
    public enum Role: String, Sendable, Codable {
        /// Hands in networks under their own name and sees their own submissions.
        case student
        /// Opens and closes submissions, pauses play, withdraws versions, downloads everything.
        case teacher
    }

    /// The store's id (nil before it is added).
    public var id: Int64?
    /// The name their networks are entered under (an entrant name: letters, digits, '-', '_', '.').
    public var name: String
    /// Student or teacher.
    public var role: Role
    /// The token's public part, which finds the row a token is checked against.
    public var lookup: String
    /// The token's password hash (bcrypt).
    public var tokenHash: String
    /// When the teacher added them.
    public var added: Date
    /// When their token was revoked (nil while it signs in).
    public var revoked: Date?

    /// A student not yet added.
    public init(
        id: Int64? = nil, name: String, role: Role = .student, lookup: String, tokenHash: String,
        added: Date = Date(), revoked: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.lookup = lookup
        self.tokenHash = tokenHash
        self.added = added
        self.revoked = revoked
    }
}

/// One network handed in through the course server, accepted or refused, with the verdict the
/// student was shown.
public struct SubmissionRecord: Sendable, Equatable, Codable {
    /// The store's id (nil before it is added).
    public var id: Int64?
    /// The student who handed it in.
    public var student: String
    /// The file's name as the student's browser gave it (shown only; files are kept by sha256).
    public var fileName: String
    /// The uploaded bytes' sha256.
    public var sha256: String
    /// The upload's size in bytes.
    public var size: Int
    /// Whether it became a version of the student's entrant.
    public var accepted: Bool
    /// The verdict in plain words, as `gonet net check` prints it.
    public var verdict: String
    /// The entrant it became (accepted only).
    public var entrant: Int64?
    /// When it was handed in.
    public var submitted: Date

    /// A submission not yet added.
    public init(
        id: Int64? = nil, student: String, fileName: String, sha256: String, size: Int, accepted: Bool,
        verdict: String, entrant: Int64? = nil, submitted: Date = Date()
    ) {
        self.id = id
        self.student = student
        self.fileName = fileName
        self.sha256 = sha256
        self.size = size
        self.accepted = accepted
        self.verdict = verdict
        self.entrant = entrant
        self.submitted = submitted
    }
}

/// What the teacher decides while a course tournament runs; kept in the store, so that the web
/// server, `gonet tournament run` and every worker see the same.
public struct CourseSettings: Sendable, Equatable, Codable {
    /// Whether submissions are taken at all.
    public var submissionsOpen = true
    /// After this instant no submission is taken (nil: no deadline).
    public var deadline: Date?
    /// Workers claim no new game while play is paused (games in flight finish).
    public var paused = false
    /// Entrant versions the teacher withdrew: they play no more games and leave the standings;
    /// the name's previous version, if any, plays again.
    public var withdrawn: [Int64] = []
    /// Whether standings, games and entrants are shown to visitors who are not signed in.
    public var publicPages = true

    /// The settings of a new tournament.
    public init() {}

    /// Why a submission made at `now` is refused, or nil when it is taken.
    public func submissionsClosed(at now: Date = Date()) -> String? {
        if !submissionsOpen { return "submissions are closed" }
        if let deadline, now >= deadline {
            return "submissions closed at the deadline, \(ISO8601DateFormatter().string(from: deadline))"
        }
        return nil
    }

    /// Decodes the stored JSON, naming `source` when it is malformed.
    public static func decode(_ json: String?, source: String) throws -> CourseSettings {
        guard let json else { return CourseSettings() }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(CourseSettings.self, from: Data(json.utf8)) } catch {
            throw TournamentError("\(source): the course settings are not readable: \(error)")
        }
    }

    /// The JSON the stores keep.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
