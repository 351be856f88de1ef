import CoreLocation
import GridlineShell
import SharedTypes

/// A position from CoreLocation. Its coordinates are WGS84 everywhere,
/// China included (only Apple's own map display is shifted), so the fix
/// says `wgs84` and the server converts nothing. The core bounds the wait
/// (`locate` in GridlineShell answers "unavailable" when time runs out).
final class PhoneLocation: NSObject, LocationSource, CLLocationManagerDelegate, @unchecked Sendable {
    // Touched on the main queue only: CoreLocation calls back on the
    // thread that made the manager.
    private var manager: CLLocationManager?
    private var waiting: [CheckedContinuation<LocationResult, Never>] = []

    func current(timeoutMs _: UInt32) async -> LocationResult {
        await withCheckedContinuation { cont in
            DispatchQueue.main.async { self.ask(cont) }
        }
    }

    private func ask(_ cont: CheckedContinuation<LocationResult, Never>) {
        let m = manager ?? {
            let m = CLLocationManager()
            m.delegate = self
            m.desiredAccuracy = kCLLocationAccuracyBest
            manager = m
            return m
        }()
        switch m.authorizationStatus {
        case .denied, .restricted:
            cont.resume(returning: .denied)
        case .notDetermined:
            waiting.append(cont)
            m.requestWhenInUseAuthorization() // continues in DidChangeAuthorization
        default:
            waiting.append(cont)
            m.requestLocation()
        }
    }

    func locationManagerDidChangeAuthorization(_ m: CLLocationManager) {
        guard !waiting.isEmpty else { return }
        switch m.authorizationStatus {
        case .denied, .restricted: finish(.denied)
        case .authorizedWhenInUse, .authorizedAlways: m.requestLocation()
        default: break
        }
    }

    func locationManager(_: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        guard let l = locations.last else { return }
        finish(.fix(Fix(lat: l.coordinate.latitude, lon: l.coordinate.longitude, accuracyM: max(0, l.horizontalAccuracy), crs: "wgs84")))
    }

    func locationManager(_: CLLocationManager, didFailWithError error: Error) {
        if (error as? CLError)?.code == .denied {
            finish(.denied)
        } else {
            finish(.unavailable(reason: error.localizedDescription))
        }
    }

    private func finish(_ r: LocationResult) {
        let all = waiting
        waiting = []
        all.forEach { $0.resume(returning: r) }
    }
}
