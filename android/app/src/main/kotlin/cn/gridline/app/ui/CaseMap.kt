package cn.gridline.app.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.compose.ui.viewinterop.AndroidView
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.LifecycleEventObserver
import cn.gridline.shared.CaseItem
import cn.gridline.shell.TileSource
import org.maplibre.android.MapLibre
import org.maplibre.android.annotations.MarkerOptions
import org.maplibre.android.camera.CameraUpdateFactory
import org.maplibre.android.geometry.LatLng
import org.maplibre.android.geometry.LatLngBounds
import org.maplibre.android.maps.MapView
import org.maplibre.android.maps.Style

/**
 * Cases as pins on the county's basemap (MapLibre Native). Each pin is
 * placed with the pair of coordinates that matches the tile source's
 * system, which the core supplies; a tap on a pin opens its case.
 */
@Composable
fun CaseMap(cases: List<CaseItem>, tiles: TileSource, modifier: Modifier, open: (String) -> Unit) {
    val context = LocalContext.current
    val lifecycle = LocalLifecycleOwner.current.lifecycle
    val map = remember {
        MapLibre.getInstance(context)
        MapView(context).apply { onCreate(null) }
    }
    DisposableEffect(lifecycle, map) {
        val observer = LifecycleEventObserver { _, event ->
            when (event) {
                Lifecycle.Event.ON_START -> map.onStart()
                Lifecycle.Event.ON_RESUME -> map.onResume()
                Lifecycle.Event.ON_PAUSE -> map.onPause()
                Lifecycle.Event.ON_STOP -> map.onStop()
                else -> {}
            }
        }
        lifecycle.addObserver(observer)
        onDispose {
            lifecycle.removeObserver(observer)
            map.onDestroy()
        }
    }
    AndroidView(factory = { map }, modifier = modifier, update = { view ->
        view.getMapAsync { m ->
            val style = if (tiles.isTemplate) Style.Builder().fromJson(tiles.rasterStyle()) else Style.Builder().fromUri(tiles.url)
            m.setStyle(style) {
                m.clear()
                val placed = cases.mapNotNull { c ->
                    c.point?.let { p ->
                        val (lat, lon) = tiles.place(p)
                        val at = LatLng(lat, lon)
                        m.addMarker(MarkerOptions().position(at).title(c.category).snippet(c.id))
                        at
                    }
                }
                m.setOnMarkerClickListener { marker ->
                    open(marker.snippet)
                    true
                }
                when {
                    placed.size == 1 -> m.moveCamera(CameraUpdateFactory.newLatLngZoom(placed[0], 15.0))
                    placed.size > 1 -> m.moveCamera(CameraUpdateFactory.newLatLngBounds(LatLngBounds.Builder().includes(placed).build(), 64))
                }
            }
        }
    })
}
