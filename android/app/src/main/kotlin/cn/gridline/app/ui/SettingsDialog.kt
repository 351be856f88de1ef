package cn.gridline.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import cn.gridline.app.R
import cn.gridline.app.Settings
import cn.gridline.shell.TileSource

/** The map's tile source: a style URL or a `{z}/{x}/{y}` template, and its system. */
@Composable
fun SettingsDialog(settings: Settings, close: () -> Unit) {
    val now = settings.tiles
    var url by remember { mutableStateOf(now.url) }
    var crs by remember { mutableStateOf(now.crs) }
    var error by remember { mutableStateOf<String?>(null) }
    AlertDialog(
        onDismissRequest = close,
        title = { Text(stringResource(R.string.map_tiles)) },
        confirmButton = {
            TextButton(onClick = {
                try {
                    settings.tiles = TileSource.parse(url, crs)
                    close()
                } catch (e: IllegalArgumentException) {
                    error = e.message
                }
            }) { Text(stringResource(R.string.save)) }
        },
        dismissButton = { TextButton(onClick = close) { Text(stringResource(R.string.cancel)) } },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedTextField(url, { url = it }, label = { Text(stringResource(R.string.tile_url)) })
                Row(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                    listOf("wgs84", "gcj02", "cgcs2000").forEach { c ->
                        FilterChip(selected = crs == c, onClick = { crs = c }, label = { Text(c.uppercase()) })
                    }
                }
                Text(stringResource(R.string.tile_hint), style = MaterialTheme.typography.bodySmall)
                error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            }
        },
    )
}
