import Foundation
import SharedTypes

/// How a background refresh went.
public enum Refresh: Equatable {
    /// Nobody is logged in on this phone: nothing to sync.
    case loggedOut
    /// The round ended; `fresh` are the new assignments to announce, and
    /// `problem` what went wrong if the server could not be reached.
    case synced(fresh: [CaseItem], problem: String?)
    /// The core did not start, or the round did not end, in time.
    case timedOut
}

/// One background sync round, as iOS's background refresh (or Android's
/// worker) runs it: wait for the core to start, send what waits and pull
/// what changed, then read the new assignments off the home list.
///
/// Out of sight the home list is opened first, since that is what the
/// announcement reads; on screen the user is left where they are.
/// `seconds` bounds the whole round (iOS gives a refresh about 30 s).
public func refresh(_ core: Core, assignments: Assignments, onScreen: Bool, seconds: Double = 25) async -> Refresh {
    let started = Date()
    func left() -> Double { max(0.1, seconds - Date().timeIntervalSince(started)) }
    guard let first = await core.waiter({ if case .loading = $0.screen { return false } else { return true } }).value(within: left()) else {
        return .timedOut
    }
    if case .login = first.screen { return .loggedOut }
    if !onScreen { core.send(.open(route: .home)) }
    // Registered before the round is asked for, so a quick one is seen.
    let busy = core.waiter { $0.sync.busy }
    core.send(.syncNow)
    _ = await busy.value(within: min(5, left()))
    guard let settled = await core.waiter({ !$0.sync.busy }).value(within: left()) else { return .timedOut }
    // Read on screen too, so what the user saw on the list is not
    // announced later; announced only out of sight.
    let fresh = (try? assignments.fresh(settled)) ?? []
    return .synced(fresh: onScreen ? [] : fresh, problem: settled.sync.problem)
}
