import Foundation

/// Where a PostgreSQL tournament lives, read as libpq reads it: a `postgres://` or
/// `postgresql://` URL (`USER:PASSWORD@HOST:PORT/DB?sslmode=…&host=/socket/dir`), with the
/// missing parts from PGUSER, PGHOST, PGPORT, PGDATABASE, PGPASSWORD, PGSSLMODE and then the
/// password file (PGPASSFILE or ~/.pgpass).
public struct PostgresLocation: Sendable, Equatable {
    /// The database user.
    public var user: String
    /// The password from the URL, PGPASSWORD or the password file.
    public var password: String?
    /// A host name or address, or a directory holding the server's socket (starts with /).
    public var host: String
    /// The server's port (5432 unless given).
    public var port: Int
    /// The database name.
    public var database: String
    /// libpq's sslmode: disable, allow, prefer, require, verify-ca or verify-full.
    public var sslMode: String
    /// sslrootcert: the CA file that verify-ca and verify-full check the server against.
    var rootCertificate: String?

    /// True for the text a PostgreSQL location starts with.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…]` as libpq does; a bad URL throws, naming the part.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isURL(text), let url = URLComponents(string: text) else {
            throw PostgresStoreError("\(Self.redacted(text)): not a postgres:// URL")
        }
        let env = environment
        let query = Dictionary(
            (url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let known: Set = ["sslmode", "host", "port", "user", "password", "dbname", "sslrootcert", "application_name"]
        if let unknown = query.keys.first(where: { !known.contains($0) }) {
            throw PostgresStoreError("\(Self.redacted(text)): unknown parameter \(unknown)")
        }
        user =
            url.user.flatMap { $0.removingPercentEncoding } ?? query["user"] ?? env["PGUSER"] ?? env["USER"]
            ?? "postgres"
        let hostPart = url.host.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
        host = query["host"] ?? hostPart ?? env["PGHOST"] ?? "localhost"
        let portText = url.port.map(String.init) ?? query["port"] ?? env["PGPORT"] ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw PostgresStoreError("\(Self.redacted(text)): port must be 1 to 65535, not \(portText)")
        }
        self.port = port
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database =
            path.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? query["dbname"] ?? env["PGDATABASE"]
            ?? user
        sslMode = query["sslmode"] ?? env["PGSSLMODE"] ?? "prefer"
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw PostgresStoreError(
                "\(Self.redacted(text)): sslmode must be disable, allow, prefer, require, verify-ca or verify-full, not \(sslMode)"
            )
        }
        rootCertificate = query["sslrootcert"] ?? env["PGSSLROOTCERT"]
        password = url.password.flatMap { $0.removingPercentEncoding } ?? query["password"] ?? env["PGPASSWORD"]
        if password == nil {
            let file = env["PGPASSFILE"] ?? (env["HOME"].map { "\($0)/.pgpass" } ?? "")
            if let text = try? String(contentsOfFile: file, encoding: .utf8) {
                password = Self.password(inPassFile: text, host: host, port: port, database: database, user: user)
            }
        }
    }

    /// The password a libpq password file gives: the first line whose host:port:database:user
    /// fields match (`*` matches anything; `\:` and `\\` escape), comments skipped.
    public static func password(inPassFile text: String, host: String, port: Int, database: String, user: String)
        -> String?
    {
        // libpq matches "localhost" for a socket connection too.
        let hostKey = host.hasPrefix("/") ? "localhost" : host
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = []
            var current = ""
            var escaped = false
            for c in line {
                if escaped {
                    current.append(c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == ":" && fields.count < 4 {
                    fields.append(current)
                    current = ""
                } else {
                    current.append(c)
                }
            }
            fields.append(current)
            guard fields.count == 5 else { continue }
            let wanted = [hostKey, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The URL with its password hidden, for messages.
    public static func redacted(_ text: String) -> String {
        guard var c = URLComponents(string: text), c.password != nil else { return text }
        c.password = "***"
        return c.string ?? text
    }

    /// `USER@HOST:PORT/DB`, for messages.
    public var description: String { "\(user)@\(host):\(port)/\(database)" }
}

/// A PostgreSQL tournament operation that failed, and why (the server's message included).
public struct PostgresStoreError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// What failed, with the server's message.
    public var message: String
    /// The database holds no tournament (yet): a worker told to wait may try again.
    var noTournament = false
    /// An error saying `message`.
    public init(_ message: String, noTournament: Bool = false) {
        self.message = message
        self.noTournament = noTournament
    }
    /// The message.
    public var description: String { message }
    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { message }
}
