import Foundation
import GridlineShell
import SharedTypes

/// The one core of the process and what the screens draw from it: the
/// view model, published on the main queue as the core renders.
final class AppModel: ObservableObject {
    static let shared = AppModel()

    @Published private(set) var view: ViewModel
    /// A scene of ours is on screen (background refresh then leaves the
    /// user where they are and announces nothing).
    var onScreen = false

    let core: Core
    let camera: PhoneCamera
    let assignments: Assignments
    let settings = Settings()

    private init() {
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        camera = PhoneCamera()
        // The store and the announcement record are the app's own state:
        // a failure to open them is a broken install, not a user error.
        let store = try! FileStore(dir: support.appendingPathComponent("core"))
        assignments = try! Assignments(dir: support.appendingPathComponent("announced"))
        core = Core(platform: Platform(http: HttpHandler(), store: store, timers: Timers(), location: PhoneLocation(), camera: camera))
        view = core.view
        core.onView = { [weak self] v in
            DispatchQueue.main.async { self?.view = v }
        }
        let version = Bundle.main.object(forInfoDictionaryKey: "CFBundleShortVersionString") as? String ?? "0"
        core.send(.start(platform: "ios", appVersion: version))
        let chinese = Locale.preferredLanguages.first?.hasPrefix("zh") ?? true
        core.send(.setLanguage(lang: chinese ? .zh : .en))
    }

    func send(_ e: Event) { core.send(e) }
}
