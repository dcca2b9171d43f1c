import ArgumentParser
import CourseServer
import Foundation
import Tournament

struct TournamentStudents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "students",
        abstract: "Add, list and revoke the students (and teachers) who sign in to `gonet serve`.",
        subcommands: [StudentsAdd.self, StudentsList.self, StudentsRevoke.self])
}

struct StudentsAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add students; each gets a token, printed once (its last line is the last token).",
        discussion: """
            Only a hash of each token is kept: a lost token cannot be shown again; revoke the name and add it anew. \
            A student's networks are entered under their name.

            EXAMPLES:
              gonet tournament students add course ann bob carol
              gonet tournament students add course teacher --teacher
              token=$(gonet tournament students add course dave | tail -n 1)
            """)
    @Argument(help: locationHelp) var dir: String
    @Argument(help: "Names: 1 to 64 letters, digits, '-', '_' and '.'.") var names: [String]
    @Flag(help: "Add teachers instead: they run the tournament from the web.") var teacher = false

    func validate() throws {
        guard !names.isEmpty else { throw ValidationError("give at least one name") }
    }

    func run() throws {
        let t = try openTournament(dir)
        try failing {
            for name in names {
                let (s, token) = try Roster.add(name, role: teacher ? .teacher : .student, to: t.store)
                print("added \(s.name) (\(s.role.rawValue)); the token, shown only now:")
                print(token)
            }
        }
    }
}

struct StudentsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the students and teachers, with their submissions.",
        discussion: """
            EXAMPLES:
              gonet tournament students list course
            """)
    @Argument(help: locationHelp) var dir: String

    func run() throws {
        let t = try openTournament(dir)
        try failing {
            let subs = try t.store.submissions()
            let formatter = ISO8601DateFormatter()
            for s in try t.store.students() {
                let mine = subs.filter { $0.student == s.name }
                let state = s.revoked.map { "revoked \(formatter.string(from: $0))" } ?? "signs in"
                print(
                    "\(s.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(s.role.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(state), added \(formatter.string(from: s.added)), \(mine.count) submissions, \(mine.filter(\.accepted).count) accepted"
                )
            }
        }
    }
}

struct StudentsRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke students' tokens: they can no longer sign in or upload.",
        discussion: """
            Their entrants keep playing; the teacher withdraws a version from the web page.

            EXAMPLES:
              gonet tournament students revoke course bob
            """)
    @Argument(help: locationHelp) var dir: String
    @Argument(help: "Names.") var names: [String]

    func run() throws {
        let t = try openTournament(dir)
        try failing {
            for name in names {
                let n = try t.store.revokeStudent(named: name)
                guard n > 0 else { throw TournamentError("\(name) is not a student who signs in") }
                print("revoked \(name)")
            }
        }
    }
}
