package cn.gridline.app

import android.content.Context
import cn.gridline.shell.TileSource

/**
 * The phone's own settings (the core keeps the server address and the
 * session): the map's tile source, set per county.
 */
class Settings(context: Context) {
    private val prefs = context.getSharedPreferences("gridline", Context.MODE_PRIVATE)

    var tiles: TileSource
        get() {
            val url = prefs.getString(TILES, null) ?: return TileSource.DEFAULT
            return try {
                TileSource.parse(url, prefs.getString(TILES_CRS, "wgs84").orEmpty())
            } catch (_: IllegalArgumentException) {
                TileSource.DEFAULT
            }
        }
        set(value) {
            prefs.edit().putString(TILES, value.url).putString(TILES_CRS, value.crs).apply()
        }

    private companion object {
        const val TILES = "tiles.url"
        const val TILES_CRS = "tiles.crs"
    }
}
