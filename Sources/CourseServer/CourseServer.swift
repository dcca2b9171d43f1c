import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Tournament

/// How `gonet serve` serves a tournament.
public struct ServerSettings: Sendable {
    /// The address to listen on: loopback by default (a reverse proxy in front, docs/course.md).
    public var host = "127.0.0.1"
    /// The port.
    public var port = 8080
    /// The largest upload in bytes: 50 MB, twenty times a 100,000-parameter network in float32
    /// and room for a 10M-parameter ONNX model.
    public var uploadLimit = 50 * 1024 * 1024
    /// PEM certificate chain and private key: the server speaks HTTPS itself.
    public var tlsCertificate: String?
    /// The private key of `tlsCertificate`.
    public var tlsKey: String?
    /// Cookies only over HTTPS (set with TLS, or behind an HTTPS reverse proxy).
    public var secureCookies = false
    /// Games the server plays itself at once, beside any workers (0: workers play them all).
    public var play = 0
    /// This executable, to play networks (`gonet gtp`) and to check a move over GTP.
    public var gonet: String?
    /// The pages' title.
    public var title = "gonet tournament"
    /// Failed sign-ins an address may make at once, then one more every `signInEvery` seconds.
    public var signInBurst = 10
    /// Seconds between failed sign-ins once the burst is spent.
    public var signInEvery = 6.0
    /// Uploads a student may make at once, then one more every `uploadEvery` seconds.
    public var uploadBurst = 5
    /// Seconds between uploads once the burst is spent.
    public var uploadEvery = 60.0

    /// The defaults.
    public init() {}
}

/// What each request carries besides itself: the client's address, for rate limits.
public struct CourseContext: RequestContext {
    /// Hummingbird's own part.
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address ("local" in in-process tests).
    public let address: String

    /// A context for a request on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        address = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    /// Forms are small; uploads are streamed and capped by `ServerSettings.uploadLimit`.
    public var maxUploadSize: Int { 64 * 1024 }
}

/// `gonet serve`: a course tournament on the web (docs/course.md). Students sign in with the
/// token the teacher gave them and upload networks, which are checked and entered as
/// `tournament submit` would; everyone sees live standings, games and entrants; the teacher opens
/// and closes submissions, pauses play, withdraws versions and downloads everything. Optionally
/// the server plays games itself while workers elsewhere play the rest.
///
/// Sendable: its members are constants, each safe from any thread (locks, thread pools, the store).
public final class CourseServer: @unchecked Sendable {
    let tournament: Tournament
    let settings: ServerSettings
    let cache: SnapshotCache
    let logins = Logins()
    let signIns: RateLimiter
    let uploads: RateLimiter
    let intake: Intake
    /// Uploads are checked one at a time: a check loads the network and plays it over GTP, and
    /// two at once on two cores would starve the pages and the games.
    let checks = NIOThreadPool(numberOfThreads: 1)
    private let worker = WorkerOptions(identity: WorkerIdentity(name: nil), gamesAtOnce: 1).stop
    let logger: Logger

    /// A server for `tournament`.
    public init(tournament: Tournament, settings: ServerSettings) throws {
        self.tournament = tournament
        self.settings = settings
        cache = try SnapshotCache(tournament: tournament)
        signIns = RateLimiter(burst: settings.signInBurst, every: settings.signInEvery)
        uploads = RateLimiter(burst: settings.uploadBurst, every: settings.uploadEvery)
        intake = Intake(
            tournament: tournament, gonet: settings.gonet,
            folder: (tournament.workspace as NSString).appendingPathComponent("uploads"))
        var logger = Logger(label: "gonet.serve")
        logger.logLevel = .notice
        self.logger = logger
        checks.start()
    }

    deinit { try? checks.syncShutdownGracefully() }

    /// The application: its routes, and HTTPS when a certificate is set.
    public func application() throws -> some ApplicationProtocol {
        let router = Router(context: CourseContext.self)
        router.add(middleware: SecurityHeaders())
        addPages(to: router)
        addAPI(to: router)
        addTeacher(to: router)
        let configuration = ApplicationConfiguration(
            address: .hostname(settings.host, port: settings.port), serverName: "gonet")
        if let cert = settings.tlsCertificate, let key = settings.tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            return Application(
                router: router, server: try .tls(.http1(), tlsConfiguration: tls), configuration: configuration,
                logger: logger)
        }
        return Application(router: router, configuration: configuration, logger: logger)
    }

    /// Serves until SIGINT or SIGTERM, playing `settings.play` games at once meanwhile.
    public func run() async throws {
        let app = try application()
        let playing = startPlaying()
        defer {
            worker.request()
            worker.giveBack(to: tournament.store)
            playing?.cancel()
        }
        try await app.runService()
    }

    /// Plays scheduled games in the background until told to stop; a failure is logged and play
    /// resumes ten seconds later, so that a broken game never stops the server.
    private func startPlaying() -> Thread? {
        guard settings.play > 0, let gonet = settings.gonet else { return nil }
        var options = WorkerOptions(
            identity: WorkerIdentity(name: "serve-\(ProcessInfo.processInfo.hostName)"),
            gamesAtOnce: settings.play)
        options.wait = true
        options.stop = worker
        let t = Thread { [tournament, logger, cache, options] in
            while !options.stop.requested {
                do {
                    try tournament.work(gonet: gonet, options: options) { event in
                        if case .finished = event { cache.refresh() }
                        if case .storeTrouble(let why) = event { logger.warning("store: \(why)") }
                    }
                } catch {
                    logger.error("playing: \(error); starting again in 10 s")
                    Thread.sleep(forTimeInterval: 10)
                }
            }
        }
        t.start()
        return t
    }

    // MARK: Helpers shared by the routes

    /// Runs blocking store work off the event loops.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// The signed-in browser's student and login, if any.
    func viewer(_ request: Request, _ snapshot: Snapshot) -> (viewer: Pages.Viewer, login: String?) {
        guard let id = request.cookies["gonet_login"]?.value, let login = logins.login(id),
            let student = snapshot.student(login.student)
        else { return (Pages.Viewer(), nil) }
        return (Pages.Viewer(student: student, csrf: login.csrf), id)
    }

    /// The student an `Authorization: Bearer` token signs in, checked against the store's
    /// students as they are now; nil without the header. A wrong token is an error (401), and
    /// failed guesses are rate limited per address.
    func bearer(_ request: Request, _ context: CourseContext) async throws -> Student? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw ServerProblem(.unauthorized, "the Authorization header must be \"Bearer TOKEN\"")
        }
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        let store = tournament.store
        let students = try await blocking { try store.students() }
        if let id = logins.checked(token), let s = students.first(where: { $0.id == id && $0.revoked == nil }) {
            return s
        }
        // Only failures count: a classroom behind one address signs in together.
        guard signIns.hasToken(context.address) else {
            let after = signIns.retryAfter(context.address)
            throw ServerProblem(
                .tooManyRequests, "too many failed sign-ins; try again in \(after) s", retryAfter: after)
        }
        let found = try await checks.runIfActive { Roster.verify(token, among: students) }
        guard let found, let id = found.id else {
            signIns.spend(context.address)
            throw ServerProblem(.unauthorized, "that token signs nobody in (mistyped, or revoked)")
        }
        logins.remember(token, student: id)
        return found
    }

    /// The signed-in person (login or token) as the store knows them now.
    func signedIn(_ request: Request, _ context: CourseContext) async throws -> (Student, csrf: String?)? {
        if let s = try await bearer(request, context) { return (s, nil) }
        guard let id = request.cookies["gonet_login"]?.value, let login = logins.login(id) else { return nil }
        let store = tournament.store
        let students = try await blocking { try store.students() }
        guard let s = students.first(where: { $0.id == login.student && $0.revoked == nil }) else { return nil }
        return (s, login.csrf)
    }

    /// Whether a visitor who is not signed in may see the public pages.
    func mayView(_ request: Request, _ context: CourseContext, _ s: Snapshot) async throws -> Bool {
        if s.settings.publicPages { return true }
        if viewer(request, s).viewer.student != nil { return true }
        return try await bearer(request, context) != nil
    }
}

/// A refusal with its HTTP status and a message in plain words; wherever it is thrown, the
/// client gets `{"error": …}` with that status, never a bare 500.
struct ServerProblem: HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }
}

extension ServerProblem {
    func response(from request: Request, context: some RequestContext) throws -> Response { Reply.error(self) }
}

/// Headers every answer carries (no sniffing, no framing, no referrer to other sites), and a
/// failure underneath (a store that cannot be reached) answered as a 503 that says what failed,
/// while the server goes on serving.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = CourseContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let e as any HTTPResponseError {
            response = try e.response(from: request, context: context)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            response = Reply.error(ServerProblem(.serviceUnavailable, "the server could not answer: \(error)"))
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }
}

/// Answers.
enum Reply {
    static func html(_ text: String, _ status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ data: Data, _ status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func json(_ value: some Encodable, _ status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return json((try? encoder.encode(value)) ?? Data("{}".utf8), status)
    }

    static func error(_ p: ServerProblem) -> Response {
        var r = json(["error": p.message], p.status)
        if let after = p.retryAfter { r.headers[.retryAfter] = String(after) }
        return r
    }

    static func file(_ bytes: [UInt8], type: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store",
            ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func redirect(_ to: String) -> Response { Response.redirect(to: to, type: .found) }
}

/// The fields of an `application/x-www-form-urlencoded` body; a malformed escape leaves its field out.
func formFields(_ body: ByteBuffer) -> [String: String] {
    var out: [String: String] = [:]
    for pair in String(buffer: body).split(separator: "&") {
        let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ s: Substring) -> String? { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
        guard let key = decode(kv[0]), let value = kv.count == 2 ? decode(kv[1]) : "" else { continue }
        out[key] = value
    }
    return out
}
