import BackgroundTasks
import GridlineShell

/// Background sync with iOS's app refresh: about every 15 minutes at best
/// (iOS decides when), one round of `refresh` from GridlineShell, and a
/// notification for each new assignment. The core's queue keeps
/// everything unsent meanwhile; a round cut short loses nothing.
enum BackgroundSync {
    static let task = "cn.gridline.app.sync"

    static func register(_ model: AppModel) {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: task, using: nil) { t in
            guard let refreshTask = t as? BGAppRefreshTask else { return t.setTaskCompleted(success: false) }
            schedule() // the next one
            let round = Task {
                let r = await refresh(model.core, assignments: model.assignments, onScreen: model.onScreen)
                if case let .synced(fresh, _) = r { await Notifier.announce(fresh) }
                switch r {
                case .loggedOut: refreshTask.setTaskCompleted(success: true)
                case let .synced(_, problem): refreshTask.setTaskCompleted(success: problem == nil)
                case .timedOut: refreshTask.setTaskCompleted(success: false)
                }
            }
            refreshTask.expirationHandler = { round.cancel() }
        }
    }

    /// Asks for the next refresh no sooner than 15 minutes from now.
    static func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: task)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 15 * 60)
        try? BGTaskScheduler.shared.submit(request)
    }
}
