import Foundation
import Tournament

/// Who a browser is: logins started by signing in with a token (the cookie holds a random id,
/// never the token), each with its own token against cross-site form posts; and API tokens already
/// checked, remembered by their SHA-256 so that bcrypt runs once per token, not once per call.
///
/// Sendable: every access to the tables holds `lock`.
final class Logins: @unchecked Sendable {
    /// A signed-in browser.
    struct Login {
        var student: Int64
        var csrf: String
        var expires: Date
    }

    /// Logins last a day: a lesson, not a semester.
    static let lifetime: TimeInterval = 86_400
    /// A checked API token is trusted for ten minutes before bcrypt checks it again.
    static let tokenCacheLifetime: TimeInterval = 600

    private let lock = NSLock()
    private var logins: [String: Login] = [:]
    private var checkedTokens: [String: (student: Int64, until: Date)] = [:]

    /// Starts a login; returns its id (the cookie's value).
    func start(for student: Int64) -> (id: String, csrf: String) {
        let id = Roster.randomText(40)
        let csrf = Roster.randomText(32)
        lock.withLock {
            let now = Date()
            if logins.count > 10_000 { logins = logins.filter { $0.value.expires > now } }
            logins[id] = Login(student: student, csrf: csrf, expires: now.addingTimeInterval(Self.lifetime))
        }
        return (id, csrf)
    }

    /// The live login of this id.
    func login(_ id: String) -> Login? {
        lock.withLock {
            guard let s = logins[id], s.expires > Date() else { return nil }
            return s
        }
    }

    /// Ends a login (signing out).
    func end(_ id: String) { lock.withLock { _ = logins.removeValue(forKey: id) } }

    /// The student an already checked token belongs to.
    func checked(_ token: String) -> Int64? {
        let key = SHA256.hex(Array(token.utf8))
        return lock.withLock {
            guard let c = checkedTokens[key], c.until > Date() else { return nil }
            return c.student
        }
    }

    /// Remembers a token bcrypt accepted.
    func remember(_ token: String, student: Int64) {
        let key = SHA256.hex(Array(token.utf8))
        lock.withLock {
            if checkedTokens.count > 10_000 { checkedTokens = [:] }
            checkedTokens[key] = (student, Date().addingTimeInterval(Self.tokenCacheLifetime))
        }
    }
}
