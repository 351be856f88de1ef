package cn.gridline.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import cn.gridline.app.R
import cn.gridline.shared.ActionButton
import cn.gridline.shared.ActionInput
import cn.gridline.shared.CaseDetail
import cn.gridline.shared.Event
import cn.gridline.shell.TileSource

/**
 * One case: what it is, where, who has it, its history and photos, and the
 * buttons the core offers this user now. A button that needs words or a
 * choice opens its form; the core checks what is entered.
 */
@Composable
fun CaseScreen(d: CaseDetail, tiles: TileSource, send: (Event) -> Unit) {
    var form by remember(d.item.id) { mutableStateOf<ActionButton?>(null) }
    val act: (ActionInput) -> Unit = { send(Event.Act(d.item.id, it)) }
    Column(Modifier.padding(16.dp).fillMaxWidth().verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(d.item.statusLabel, style = MaterialTheme.typography.titleMedium, color = d.item.urgency.colour())
        d.item.deadline?.let { Text(it) }
        Text(d.description)
        Text(listOfNotNull(d.item.place.ifEmpty { null }, d.tier, d.assignee).joinToString(" · "), style = MaterialTheme.typography.bodySmall)
        d.outcome?.let { Text(it) }
        d.rating?.let { Text("★".repeat(it.toInt())) }
        d.waiting.forEach { Text(it, style = MaterialTheme.typography.bodySmall) }
        d.conflicts.forEach { Text(it, color = MaterialTheme.colorScheme.error) }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            d.actions.forEach { a ->
                Button(onClick = {
                    when (a.action) {
                        "sign_for" -> act(ActionInput.SignFor)
                        "start" -> act(ActionInput.Start)
                        else -> form = a
                    }
                }) { Text(a.label) }
            }
        }
        d.item.point?.let { CaseMap(listOf(d.item), tiles, Modifier.fillMaxWidth().height(200.dp)) {} }
        if (d.parties.isNotEmpty()) {
            Text(stringResource(R.string.parties), style = MaterialTheme.typography.titleSmall)
            d.parties.forEach { Text(it) }
        }
        if (d.photos.isNotEmpty()) {
            Text(stringResource(R.string.photos), style = MaterialTheme.typography.titleSmall)
            d.photos.forEach { p ->
                val state = when {
                    p.uploading -> stringResource(R.string.photo_uploading)
                    p.available -> stringResource(R.string.photo_on_server)
                    else -> stringResource(R.string.photo_missing)
                }
                Text("${p.sha256.take(12)} · $state", style = MaterialTheme.typography.bodySmall)
            }
        }
        HorizontalDivider()
        Text(stringResource(R.string.history), style = MaterialTheme.typography.titleSmall)
        d.history.forEach { h -> Text("${h.at} ${h.who}: ${h.what}", style = MaterialTheme.typography.bodySmall) }
    }
    form?.let { a -> ActionForm(a, d, { form = null }) { input -> act(input); form = null } }
}

/** The form behind a button that needs more than a tap. */
@Composable
private fun ActionForm(a: ActionButton, d: CaseDetail, dismiss: () -> Unit, done: (ActionInput) -> Unit) {
    var text by remember { mutableStateOf("") }
    var outcome by remember { mutableStateOf(d.outcomes.firstOrNull { it.selected }?.code ?: d.outcomes.firstOrNull()?.code.orEmpty()) }
    var stars by remember { mutableStateOf(5) }
    var units by remember { mutableStateOf(setOf<String>()) }
    var days by remember { mutableStateOf(5L) }
    val input: () -> ActionInput? = {
        when (a.action) {
            "note" -> ActionInput.Note(text)
            "resolve" -> ActionInput.Resolve(outcome, text)
            "escalate" -> ActionInput.Escalate(text)
            "return" -> ActionInput.Return(text)
            "rate" -> ActionInput.Rate(stars.toUByte(), text)
            "request_co_handling" -> ActionInput.RequestCoHandling(units.toList(), text, days.toUInt())
            else -> null
        }
    }
    AlertDialog(
        onDismissRequest = dismiss,
        title = { Text(a.label) },
        confirmButton = { TextButton(onClick = { input()?.let(done) ?: dismiss() }) { Text(a.label) } },
        dismissButton = { TextButton(onClick = dismiss) { Text(stringResource(R.string.cancel)) } },
        text = {
            Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                if (a.action == "resolve") {
                    d.outcomes.forEach { c ->
                        FilterChip(selected = outcome == c.code, onClick = { outcome = c.code }, label = { Text(c.label) })
                    }
                }
                if (a.action == "rate") {
                    Row { (1..5).forEach { n -> TextButton(onClick = { stars = n }) { Text(if (n <= stars) "★" else "☆") } } }
                }
                if (a.action == "request_co_handling") {
                    d.departments.forEach { c ->
                        Row(verticalAlignment = Alignment.CenterVertically) {
                            Checkbox(checked = c.code in units, onCheckedChange = { on -> units = if (on) units + c.code else units - c.code })
                            Text(c.label)
                        }
                    }
                    NumberField(stringResource(R.string.days), days) { days = it }
                }
                OutlinedTextField(
                    text,
                    { text = it },
                    label = { Text(stringResource(if (a.action == "request_co_handling") R.string.task else R.string.words)) },
                    minLines = 2,
                    modifier = Modifier.fillMaxWidth(),
                )
            }
        },
    )
}
