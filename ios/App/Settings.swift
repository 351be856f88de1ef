import Foundation
import GridlineShell

/// The phone's own settings (the core keeps the server address and the
/// session): the map's tile source, set per county.
final class Settings: ObservableObject {
    private let defaults = UserDefaults.standard

    @Published var tiles: TileSource {
        didSet {
            defaults.set(tiles.url, forKey: "tiles.url")
            defaults.set(tiles.crs, forKey: "tiles.crs")
        }
    }

    init() {
        let url = defaults.string(forKey: "tiles.url")
        let crs = defaults.string(forKey: "tiles.crs") ?? "wgs84"
        tiles = url.flatMap { try? TileSource.parse(url: $0, crs: crs) } ?? .standard
    }
}
