package cn.gridline.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.material3.Card
import androidx.compose.material3.ExtendedFloatingActionButton
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.foundation.background
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import cn.gridline.app.R
import cn.gridline.shared.CaseItem
import cn.gridline.shared.Event
import cn.gridline.shared.HomeView
import cn.gridline.shared.Route
import cn.gridline.shell.TileSource

/** The role's list (most pressing first), or the same cases on the map. */
@Composable
fun HomeScreen(v: HomeView, tiles: TileSource, send: (Event) -> Unit) {
    var onMap by rememberSaveable { mutableStateOf(false) }
    Box(Modifier.fillMaxSize()) {
        Column(Modifier.fillMaxSize()) {
            Row(Modifier.padding(horizontal = 16.dp, vertical = 8.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                FilterChip(selected = !onMap, onClick = { onMap = false }, label = { Text(stringResource(R.string.list)) })
                FilterChip(selected = onMap, onClick = { onMap = true }, label = { Text(stringResource(R.string.map)) })
                if (v.visitsDue > 0u) {
                    FilterChip(
                        selected = false,
                        onClick = { send(Event.Open(Route.Visits)) },
                        label = { Text(stringResource(R.string.visits_due, v.visitsDue.toInt())) },
                    )
                }
            }
            if (onMap) {
                CaseMap(v.cases, tiles, Modifier.fillMaxSize()) { send(Event.Open(Route.Case(it))) }
            } else {
                LazyColumn(Modifier.fillMaxSize()) {
                    if (v.cases.isEmpty()) item { Text(stringResource(R.string.nothing_here), Modifier.padding(24.dp)) }
                    items(v.cases, key = { it.id }) { CaseRow(it) { send(Event.Open(Route.Case(it.id))) } }
                    if (v.more > 0u) item { Text(stringResource(R.string.more, v.more.toInt()), Modifier.padding(16.dp)) }
                    item { Box(Modifier.height(88.dp)) }
                }
            }
        }
        v.newLabel?.let { label ->
            ExtendedFloatingActionButton(
                onClick = { send(Event.Open(Route.NewReport)) },
                modifier = Modifier.align(Alignment.BottomEnd).padding(16.dp),
            ) { Text(label) }
        }
    }
}

@Composable
fun CaseRow(c: CaseItem, open: () -> Unit) {
    Card(Modifier.fillMaxWidth().padding(horizontal = 12.dp, vertical = 4.dp).clickable(onClick = open)) {
        Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically) {
            Box(Modifier.size(10.dp).clip(CircleShape).background(c.urgency.colour()))
            Column(Modifier.padding(start = 12.dp).weight(1f)) {
                Text("${c.category} · ${c.statusLabel}", style = MaterialTheme.typography.titleSmall)
                Text(c.summary, style = MaterialTheme.typography.bodyMedium, maxLines = 2)
                val meta = listOfNotNull(c.place.ifEmpty { null }, c.deadline).joinToString(" · ")
                if (meta.isNotEmpty()) Text(meta, style = MaterialTheme.typography.bodySmall)
                if (c.waiting) Text(stringResource(R.string.waiting_to_send), style = MaterialTheme.typography.bodySmall)
                if (c.conflict) {
                    Text(stringResource(R.string.refused), color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall)
                }
            }
            Box(Modifier.width(4.dp))
        }
    }
}
