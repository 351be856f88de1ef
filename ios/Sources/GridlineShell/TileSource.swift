import Foundation
import SharedTypes

/// The map's basemap, as a county configures it: a MapLibre style URL or a
/// raster tile template (`https://…/{z}/{x}/{y}.png`), and the coordinate
/// system its tiles are drawn in. Amap and Tencent tiles are GCJ-02;
/// OpenStreetMap and Tianditu are WGS84 (CGCS2000 is within centimetres).
/// The core hands every point in both systems; `place` picks the pair that
/// lands on this basemap's streets, so the app never converts.
public struct TileSource: Equatable, Codable, Sendable {
    public let url: String
    public let crs: String

    /// MapLibre's demo style: world borders only, WGS84. Counties set their own.
    public static let standard = TileSource(url: "https://demotiles.maplibre.org/style.json", crs: "wgs84")

    private static let systems: Set<String> = ["wgs84", "gcj02", "cgcs2000"]

    private init(url: String, crs: String) {
        self.url = url
        self.crs = crs
    }

    /// Reads what an administrator typed; the error says what is wrong.
    public static func parse(url: String, crs: String) throws -> TileSource {
        let u = url.trimmingCharacters(in: .whitespacesAndNewlines)
        let c = crs.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard u.hasPrefix("https://") || u.hasPrefix("http://") else {
            throw TileSourceError("the tile source must be an http(s) address: '\(u)'")
        }
        let marks = ["{z}", "{x}", "{y}"]
        if marks.contains(where: u.contains) {
            let missing = marks.filter { !u.contains($0) }
            guard missing.isEmpty else {
                throw TileSourceError("the tile template lacks \(missing.joined(separator: ", ")): '\(u)'")
            }
        }
        guard systems.contains(c) else {
            throw TileSourceError("unknown coordinate system '\(crs)' (wgs84, gcj02 or cgcs2000)")
        }
        return TileSource(url: u, crs: c)
    }

    /// A raster template rather than a style.
    public var isTemplate: Bool { url.contains("{z}") }

    /// Where `p` goes on this basemap: (lat, lon).
    public func place(_ p: MapPoint) -> (lat: Double, lon: Double) {
        crs == "gcj02" ? (p.gcj02Lat, p.gcj02Lon) : (p.lat, p.lon)
    }

    /// The MapLibre style for a raster template (a style URL is used as it is).
    public func rasterStyle(attribution: String = "") throws -> String {
        guard isTemplate else { throw TileSourceError("not a tile template: \(url)") }
        let style: [String: Any] = [
            "version": 8,
            "sources": ["basemap": ["type": "raster", "tiles": [url], "tileSize": 256, "maxzoom": 18, "attribution": attribution]],
            "layers": [["id": "basemap", "type": "raster", "source": "basemap"]],
        ]
        let data = try JSONSerialization.data(withJSONObject: style, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// A tile setting that cannot be used, and why.
public struct TileSourceError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
