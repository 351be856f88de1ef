import Foundation
import SharedTypes

/// A wait for the first view model that passes a test, from `Core.waiter`.
/// It keeps the first match even if nobody awaits it yet, and is awaited
/// once.
public final class ViewWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private let test: (ViewModel) -> Bool
    private let ended: () -> Void
    private var found: ViewModel?
    private var expired = false
    private var waiting: CheckedContinuation<ViewModel?, Never>?

    init(_ test: @escaping (ViewModel) -> Bool, ended: @escaping () -> Void) {
        self.test = test
        self.ended = ended
    }

    func offer(_ v: ViewModel) {
        if test(v) { settle(v) }
    }

    /// The matching view, or nil if none came within `seconds`.
    public func value(within seconds: Double) async -> ViewModel? {
        await withCheckedContinuation { (cont: CheckedContinuation<ViewModel?, Never>) in
            let now: ViewModel?? = lock.withLock {
                if let f = found { return .some(f) }
                if expired { return .some(nil) }
                waiting = cont
                return nil
            }
            if let now { return cont.resume(returning: now) }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { self.expire() }
        }
    }

    private func expire() { settle(nil) }

    /// Ends the wait once: with the first match, or with nothing when time ran out.
    private func settle(_ v: ViewModel?) {
        let (first, cont): (Bool, CheckedContinuation<ViewModel?, Never>?) = lock.withLock {
            if found != nil || expired { return (false, nil) }
            if let v { found = v } else { expired = true }
            defer { waiting = nil }
            return (true, waiting)
        }
        guard first else { return }
        cont?.resume(returning: v)
        ended()
    }
}
