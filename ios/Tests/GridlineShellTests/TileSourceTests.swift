import Foundation
import GridlineShell
import SharedTypes
import XCTest

/// The basemap a county sets: its points land on its tiles' streets, and a
/// setting that cannot work says why.
final class TileSourceTests: XCTestCase {
    private let point = MapPoint(lat: 38.8012, lon: 101.0841, gcj02Lat: 38.8018, gcj02Lon: 101.0862)

    func testAnAmapTemplateIsGcj02AndGetsTheGcj02Pair() throws {
        let amap = try TileSource.parse(url: " https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8 ", crs: "GCJ02")
        XCTAssertTrue(amap.isTemplate)
        let at = amap.place(point)
        XCTAssertEqual([at.lat, at.lon], [38.8018, 101.0862])
        let style = try JSONSerialization.jsonObject(with: Data(try amap.rasterStyle(attribution: "© 高德").utf8)) as! [String: Any]
        XCTAssertEqual(style["version"] as? Int, 8)
        let basemap = (style["sources"] as! [String: Any])["basemap"] as! [String: Any]
        XCTAssertEqual(basemap["tiles"] as? [String], [amap.url])
        XCTAssertEqual(basemap["attribution"] as? String, "© 高德")
    }

    func testAStyleUrlInWgs84GetsTheGpsPair() throws {
        let osm = TileSource.standard
        XCTAssertFalse(osm.isTemplate)
        XCTAssertThrowsError(try osm.rasterStyle(), "a style URL is no template")
        XCTAssertEqual(osm.place(point).lat, 38.8012)
        let tianditu = try TileSource.parse(url: "https://t0.tianditu.gov.cn/vec_w/{z}/{x}/{y}", crs: "cgcs2000")
        XCTAssertEqual(tianditu.place(point).lon, 101.0841)
    }

    func testBadSettingsSayWhatIsWrong() {
        func why(_ url: String, _ crs: String) -> String {
            do {
                _ = try TileSource.parse(url: url, crs: crs)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(why("ftp://tiles", "wgs84").contains("http(s)"))
        XCTAssertTrue(why("https://t/{z}/{x}.png", "wgs84").contains("{y}"))
        XCTAssertTrue(why("https://t/s.json", "bd09").contains("bd09"))
    }
}
