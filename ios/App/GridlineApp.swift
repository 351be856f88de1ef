import BackgroundTasks
import GridlineShell
import SharedTypes
import SwiftUI
import UIKit
import UserNotifications

/// The app: one `AppModel` (one core) for the screens, the background
/// refresh and the notifications. Nothing here decides anything; the core
/// does, and `GridlineShell` runs its effects.
@main
struct GridlineApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate
    @Environment(\.scenePhase) private var phase
    @StateObject private var model = AppModel.shared

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(model)
                .environmentObject(model.camera)
        }
        .onChange(of: phase) { now in
            switch now {
            case .active:
                model.onScreen = true
                model.core.send(.foreground)
            case .background:
                model.onScreen = false
                model.core.send(.background)
                BackgroundSync.schedule()
            default:
                break
            }
        }
    }
}

/// What must happen before launch ends: the background task's handler is
/// registered, and notification taps are routed to the core.
final class AppDelegate: NSObject, UIApplicationDelegate, UNUserNotificationCenterDelegate {
    func application(_: UIApplication, didFinishLaunchingWithOptions _: [UIApplication.LaunchOptionsKey: Any]? = nil) -> Bool {
        BackgroundSync.register(AppModel.shared)
        let center = UNUserNotificationCenter.current()
        center.delegate = self
        center.requestAuthorization(options: [.alert, .sound, .badge]) { _, _ in }
        return true
    }

    /// A tapped notification opens its case.
    func userNotificationCenter(_: UNUserNotificationCenter, didReceive response: UNNotificationResponse, withCompletionHandler done: @escaping () -> Void) {
        if let id = response.notification.request.content.userInfo[Notifier.caseKey] as? String {
            AppModel.shared.core.send(.open(route: .case(id: id)))
        }
        done()
    }

    /// In the foreground the list shows it; no banner.
    func userNotificationCenter(_: UNUserNotificationCenter, willPresent _: UNNotification, withCompletionHandler done: @escaping (UNNotificationPresentationOptions) -> Void) {
        done([])
    }
}
