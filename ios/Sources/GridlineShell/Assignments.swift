import Foundation
import SharedTypes

/// Which assignments to announce: cases on a unit member's home list
/// waiting to be signed for that this phone has not announced before.
/// What was announced is kept in its own folder (written like the core's
/// storage: temp file, fsync, rename), so a case is announced once however
/// often background refresh runs or the app restarts; a case that leaves
/// "assigned" and comes back (returned, reassigned) is new again.
///
/// Grid workers and residents are not told: a case they reported that
/// moves on to the village is not theirs to sign for.
public final class Assignments: @unchecked Sendable {
    private static let key = "announced"
    private static let notAssigned: Set<String> = ["grid_worker", "resident"]
    private let store: FileStore

    public init(dir: URL) throws {
        store = try FileStore(dir: dir)
    }

    /// The assignments `view` shows that are new; remembers them as announced.
    public func fresh(_ view: ViewModel) throws -> [CaseItem] {
        guard case let .home(home) = view.screen, !Assignments.notAssigned.contains(home.role) else { return [] }
        let assigned = home.cases.filter { $0.status == "assigned" && !$0.waiting }
        let stored = try store.get(Assignments.key).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let before = Set(stored.split(separator: "\n").map(String.init))
        let now = Set(assigned.map(\.id))
        if now != before {
            _ = try store.set(Assignments.key, Array(now.sorted().joined(separator: "\n").utf8))
        }
        return assigned.filter { !before.contains($0.id) }
    }
}
