package cn.gridline.app.ui

import androidx.compose.foundation.background
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import cn.gridline.app.R
import cn.gridline.shared.Event
import cn.gridline.shared.Route
import cn.gridline.shared.VisitView
import cn.gridline.shared.VisitsView

/** The grid worker's watched households, the most overdue visit first. */
@Composable
fun VisitsScreen(v: VisitsView, send: (Event) -> Unit) {
    LazyColumn(Modifier.fillMaxSize()) {
        if (v.items.isEmpty()) item { Text(stringResource(R.string.nothing_here), Modifier.padding(24.dp)) }
        items(v.items, key = { it.watchId }) { w ->
            Card(Modifier.fillMaxWidth().padding(horizontal = 12.dp, vertical = 4.dp).clickable { send(Event.Open(Route.Visit(w.watchId))) }) {
                Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically) {
                    Box(Modifier.size(10.dp).clip(CircleShape).background(riskColour(w.colour)))
                    Column(Modifier.padding(start = 12.dp)) {
                        Text(w.label, style = MaterialTheme.typography.titleSmall)
                        w.due?.let { Text(it, color = w.urgency.colour(), style = MaterialTheme.typography.bodySmall) }
                        if (w.waiting) Text(stringResource(R.string.waiting_to_send), style = MaterialTheme.typography.bodySmall)
                    }
                }
            }
        }
    }
}

/** One household: why it is watched, the last visit, and a note for this one. */
@Composable
fun VisitScreen(v: VisitView, send: (Event) -> Unit) {
    var note by rememberSaveable(v.item.watchId) { mutableStateOf("") }
    Column(Modifier.padding(16.dp).fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(v.item.label, style = MaterialTheme.typography.titleMedium, color = riskColour(v.item.colour))
        v.address?.let { Text(it) }
        Text(v.reason)
        v.lastVisit?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
        v.item.due?.let { Text(it, color = v.item.urgency.colour()) }
        OutlinedTextField(note, { note = it }, label = { Text(stringResource(R.string.visit_note)) }, minLines = 3, modifier = Modifier.fillMaxWidth())
        Button(onClick = { send(Event.RecordVisit(v.item.watchId, note)) }, enabled = note.isNotBlank()) {
            Text(stringResource(R.string.record_visit))
        }
    }
}
