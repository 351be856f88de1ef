package cn.gridline.shell

import cn.gridline.shared.MapPoint
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class TileSourceTest {
    private val point = MapPoint(38.8012, 101.0841, 38.8018, 101.0862)

    @Test
    fun anAmapTemplateIsGcj02AndGetsTheGcj02Pair() {
        val amap = TileSource.parse("https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8", "GCJ02")
        assertTrue(amap.isTemplate)
        assertEquals(38.8018 to 101.0862, amap.place(point))
        val style = JSONObject(amap.rasterStyle("© 高德"))
        assertEquals(8, style.getInt("version"))
        val tiles = style.getJSONObject("sources").getJSONObject("basemap").getJSONArray("tiles")
        assertEquals(amap.url, tiles.getString(0))
    }

    @Test
    fun aStyleUrlInWgs84GetsTheGpsPair() {
        val osm = TileSource.DEFAULT
        assertFalse(osm.isTemplate)
        assertEquals(38.8012 to 101.0841, osm.place(point))
        assertEquals(38.8012 to 101.0841, TileSource.parse("https://t0.tianditu.gov.cn/vec_w/{z}/{x}/{y}", "cgcs2000").place(point))
    }

    @Test
    fun badSettingsSayWhatIsWrong() {
        assertTrue(assertThrows<IllegalArgumentException> { TileSource.parse("ftp://tiles", "wgs84") }.message!!.contains("http(s)"))
        assertTrue(assertThrows<IllegalArgumentException> { TileSource.parse("https://t/{z}/{x}.png", "wgs84") }.message!!.contains("{y}"))
        assertTrue(assertThrows<IllegalArgumentException> { TileSource.parse("https://t/s.json", "bd09") }.message!!.contains("bd09"))
    }
}
