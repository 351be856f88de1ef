package cn.gridline.shell

import cn.gridline.shared.MapPoint
import org.json.JSONArray
import org.json.JSONObject

/**
 * The map's basemap, as a county configures it: a MapLibre style URL, or
 * a raster tile template (`https://…/{z}/{x}/{y}.png`), and the coordinate
 * system its tiles are drawn in. Amap and Tencent tiles are GCJ-02;
 * OpenStreetMap and Tianditu are WGS84 (CGCS2000 is within centimetres).
 * The core hands every point in both systems; [place] picks the pair that
 * lands on this basemap's streets.
 */
data class TileSource(val url: String, val crs: String) {
    /** A raster template rather than a style. */
    val isTemplate: Boolean get() = url.contains("{z}")

    /** Where [p] goes on this basemap: (lat, lon). */
    fun place(p: MapPoint): Pair<Double, Double> = if (crs == "gcj02") p.gcj02Lat to p.gcj02Lon else p.lat to p.lon

    /** The MapLibre style for a raster template (a style URL is used as it is). */
    fun rasterStyle(attribution: String = ""): String {
        require(isTemplate) { "not a tile template: $url" }
        val source = JSONObject()
            .put("type", "raster")
            .put("tiles", JSONArray().put(url))
            .put("tileSize", 256)
            .put("maxzoom", 18)
            .put("attribution", attribution)
        return JSONObject()
            .put("version", 8)
            .put("sources", JSONObject().put("basemap", source))
            .put("layers", JSONArray().put(JSONObject().put("id", "basemap").put("type", "raster").put("source", "basemap")))
            .toString()
    }

    companion object {
        /** MapLibre's demo style: world borders only, WGS84. Counties set their own. */
        val DEFAULT = TileSource("https://demotiles.maplibre.org/style.json", "wgs84")

        private val SYSTEMS = setOf("wgs84", "gcj02", "cgcs2000")

        /** Reads what an administrator typed; the error says what is wrong. */
        fun parse(url: String, crs: String): TileSource {
            val u = url.trim()
            val c = crs.trim().lowercase()
            require(u.startsWith("https://") || u.startsWith("http://")) {
                "the tile source must be an http(s) address: '$u'"
            }
            if (u.contains("{z}") || u.contains("{x}") || u.contains("{y}")) {
                val missing = listOf("{z}", "{x}", "{y}").filterNot { u.contains(it) }
                require(missing.isEmpty()) { "the tile template lacks ${missing.joinToString()}: '$u'" }
            }
            require(c in SYSTEMS) { "unknown coordinate system '$crs' (wgs84, gcj02 or cgcs2000)" }
            return TileSource(u, c)
        }
    }
}
