import Foundation
import GridlineShell
import SharedTypes

/// A phone for the tests: the real `Core` with the real URLSession
/// handler, file storage and timers, standing where the test says and
/// with the picture the test puts in front of the camera.
final class Phone: LocationSource, PhotoSource, @unchecked Sendable {
    let dir: URL
    let core: Core
    private let lock = NSLock()
    private var fix: Fix?
    private var picture: [UInt8]?
    private var seen: [Request] = []

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridline-swift-phone-\(UUID().uuidString)")
        let store = try FileStore(dir: dir.appendingPathComponent("store"))
        let me = Box()
        core = Core(
            platform: Platform(http: HttpHandler(), store: store, timers: Timers(), location: Relay { me.phone }, camera: Relay { me.phone }),
            trace: { r in me.phone?.record(r) }
        )
        me.phone = self
    }

    func stand(at f: Fix) { lock.withLock { fix = f } }
    func show(_ p: [UInt8]) { lock.withLock { picture = p } }
    var requests: [Request] { lock.withLock { seen } }
    private func record(_ r: Request) { lock.withLock { seen.append(r) } }

    func current(timeoutMs _: UInt32) async -> LocationResult {
        lock.withLock { fix.map { .fix($0) } ?? .unavailable(reason: "no fix in the test") }
    }

    func capture(_: PhotoOperation) async -> PhotoResult {
        lock.withLock { picture.map { .photo(bytes: $0, mime: "image/png") } ?? .cancelled }
    }

    func send(_ e: Event) { core.send(e) }
    var view: ViewModel { core.view }

    /// Waits until the view satisfies `test`; fails saying `what` did not happen.
    @discardableResult
    func until(_ what: String, seconds: Double = 60, _ test: (ViewModel) -> Bool) async throws -> ViewModel {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            let v = core.view
            if test(v) { return v }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw Failure("waited \(seconds) s for \(what); the phone shows \(core.view); faults \(core.faults)")
    }

    func start() async throws {
        send(.start(platform: "ios", appVersion: "swift-test"))
        try await until("the app to start") { if case .loading = $0.screen { return false } else { return true } }
    }

    func login(_ server: String, _ user: String) async throws {
        send(.login(server: server, username: user, password: DemoServer.password))
        try await until("\(user) to be logged in") { if case .home = $0.screen { return true } else { return false } }
    }

    func close() {
        core.close()
        try? FileManager.default.removeItem(at: dir)
    }
}

/// The phone, once it exists (its core is made first).
private final class Box: @unchecked Sendable {
    var phone: Phone?
}

/// Forwards to the phone (which exists only after its core does).
private struct Relay: LocationSource, PhotoSource {
    let phone: @Sendable () -> Phone?
    func current(timeoutMs: UInt32) async -> LocationResult {
        await phone()?.current(timeoutMs: timeoutMs) ?? .unavailable(reason: "no phone")
    }

    func capture(_ op: PhotoOperation) async -> PhotoResult {
        await phone()?.capture(op) ?? .cancelled
    }
}

extension ViewModel {
    var caseDetail: CaseDetail? { if case let .case(d) = screen { return d } else { return nil } }
    var home: HomeView? { if case let .home(h) = screen { return h } else { return nil } }
    var report: ReportView? { if case let .newReport(r) = screen { return r } else { return nil } }
}
