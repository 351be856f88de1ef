import Foundation
import SharedTypes
import UserNotifications

/// Tells a cadre about assignments that background sync brought in: one
/// notification per case (a summary beyond three); a tap opens the case.
enum Notifier {
    static let caseKey = "case"
    private static let single = 3

    static func announce(_ cases: [CaseItem]) async {
        guard !cases.isEmpty else { return }
        let center = UNUserNotificationCenter.current()
        let allowed = await center.notificationSettings().authorizationStatus
        guard allowed == .authorized || allowed == .provisional else { return }
        for c in cases.prefix(single) {
            let content = UNMutableNotificationContent()
            content.title = String(format: NSLocalizedString("new_assignment", comment: ""), c.category)
            content.body = [c.summary, c.deadline].compactMap { $0 }.joined(separator: " · ")
            content.sound = .default
            content.userInfo = [caseKey: c.id]
            try? await center.add(UNNotificationRequest(identifier: "case-\(c.id)", content: content, trigger: nil))
        }
        if cases.count > single {
            let content = UNMutableNotificationContent()
            content.title = String(format: NSLocalizedString("new_assignments", comment: ""), cases.count)
            try? await center.add(UNNotificationRequest(identifier: "assignments", content: content, trigger: nil))
        }
    }
}
