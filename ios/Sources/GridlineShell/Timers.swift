import Foundation
import SharedTypes

/// The core's Time effect: the time now, and timers that go off after a
/// while or at an instant. A timer cleared before it goes off answers
/// `cleared`, and so does the clear request.
public actor Timers {
    private var sleeping: [UInt64: Task<Void, Never>] = [:]

    public init() {}

    /// Timers set and neither gone off nor cleared.
    public var waiting: Int { sleeping.count }

    public func handle(_ op: TimeRequest) async -> TimeResponse {
        switch op {
        case .now:
            return .now(instant: Timers.now())
        case let .notifyAfter(id, duration):
            return await wait(id, nanos: duration.nanos) { .durationElapsed(id: id) }
        case let .notifyAt(id, instant):
            let at = Double(instant.seconds) + Double(instant.nanos) / 1e9
            let left = max(0, at - Date().timeIntervalSince1970)
            return await wait(id, nanos: UInt64(min(left, 1e9) * 1e9)) { .instantArrived(id: id) }
        case let .clear(id):
            sleeping.removeValue(forKey: id.value)?.cancel()
            return .cleared(id: id)
        }
    }

    private func wait(_ id: TimerId, nanos: UInt64, done: () -> TimeResponse) async -> TimeResponse {
        let sleeper = Task { _ = try? await Task.sleep(nanoseconds: nanos) }
        sleeping[id.value] = sleeper
        await sleeper.value // the actor is free meanwhile, so a clear can run
        if sleeping[id.value] == sleeper { sleeping[id.value] = nil }
        return sleeper.isCancelled ? .cleared(id: id) : done()
    }

    static func now() -> Instant {
        let t = Date().timeIntervalSince1970
        let seconds = t.rounded(.down)
        return Instant(seconds: UInt64(seconds), nanos: UInt32((t - seconds) * 1e9))
    }
}
