import Foundation
import SharedTypes

/// Where a position comes from: CoreLocation on a phone, a fixed point in
/// tests. The shell bounds the wait with the core's timeout.
public protocol LocationSource: Sendable {
    func current(timeoutMs: UInt32) async -> LocationResult
}

/// Where a picture comes from: the camera or the photo library on a phone.
public protocol PhotoSource: Sendable {
    func capture(_ op: PhotoOperation) async -> PhotoResult
}

/// Asks `source` for a fix, answering "unavailable" if none comes in time.
func locate(_ source: LocationSource, _ op: LocationOperation) async -> LocationResult {
    switch op {
    case let .current(timeoutMs):
        return await withTaskGroup(of: LocationResult?.self) { group in
            group.addTask { await source.current(timeoutMs: timeoutMs) }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(timeoutMs) * 1_000_000)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .unavailable(reason: "no position within \(timeoutMs / 1000) s")
        }
    }
}
