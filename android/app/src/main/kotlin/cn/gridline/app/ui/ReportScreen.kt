package cn.gridline.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import cn.gridline.app.R
import cn.gridline.shared.Choice
import cn.gridline.shared.DraftEdit
import cn.gridline.shared.Event
import cn.gridline.shared.ReportView

/**
 * The report form (a grid worker's report or a resident's request). Every
 * edit goes to the core at once, which keeps the draft through a crash.
 */
@Composable
fun ReportScreen(v: ReportView, send: (Event) -> Unit) {
    val edit: (DraftEdit) -> Unit = { send(Event.Draft(it)) }
    var description by rememberSaveable { mutableStateOf(v.description) }
    var picking by remember { mutableStateOf(false) }
    var addingParty by remember { mutableStateOf(false) }
    Column(
        Modifier.padding(16.dp).fillMaxWidth().verticalScroll(rememberScrollState()),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        val chosen = v.categories.firstOrNull { it.selected }
        OutlinedButton(onClick = { picking = true }, modifier = Modifier.fillMaxWidth()) {
            Text(chosen?.label ?: stringResource(R.string.choose_category))
        }
        OutlinedTextField(
            description,
            {
                description = it
                edit(DraftEdit.Description(it))
            },
            label = { Text(stringResource(R.string.description)) },
            minLines = 3,
            modifier = Modifier.fillMaxWidth(),
        )
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { edit(DraftEdit.UseMyLocation) }, enabled = !v.locating) {
                Text(stringResource(if (v.locating) R.string.locating else R.string.use_my_location))
            }
            Text(v.location ?: stringResource(R.string.no_location))
        }
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            val full = v.photos >= v.photoLimit
            Button(onClick = { edit(DraftEdit.TakePhoto) }, enabled = !full) { Text(stringResource(R.string.take_photo)) }
            OutlinedButton(onClick = { edit(DraftEdit.PickPhoto) }, enabled = !full) { Text(stringResource(R.string.pick_photo)) }
            Text("${v.photos}/${v.photoLimit}")
            if (v.photos > 0u) {
                TextButton(onClick = { edit(DraftEdit.RemovePhoto(v.photos - 1u)) }) { Text(stringResource(R.string.remove_last)) }
            }
        }
        if (!v.isRequest) {
            Text(stringResource(R.string.parties), style = MaterialTheme.typography.titleSmall)
            v.parties.forEachIndexed { i, p ->
                Row(verticalAlignment = Alignment.CenterVertically) {
                    Text(p, Modifier.weight(1f))
                    TextButton(onClick = { edit(DraftEdit.RemoveParty(i.toUInt())) }) { Text(stringResource(R.string.remove)) }
                }
            }
            OutlinedButton(onClick = { addingParty = true }) { Text(stringResource(R.string.add_party)) }
            NumberField(stringResource(R.string.people_affected), v.peopleAffected.toLong()) {
                edit(DraftEdit.PeopleAffected(it.coerceIn(0, UInt.MAX_VALUE.toLong()).toUInt()))
            }
            NumberField(stringResource(R.string.amount_yuan), v.amountYuan.toLong()) {
                edit(DraftEdit.AmountYuan(it.coerceAtLeast(0).toULong()))
            }
        }
        v.problem?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { send(Event.SubmitReport) }) { Text(stringResource(R.string.submit)) }
            TextButton(onClick = { send(Event.DiscardDraft) }) { Text(stringResource(R.string.discard)) }
        }
    }
    if (picking) {
        ChoiceDialog(stringResource(R.string.choose_category), v.categories, { picking = false }) {
            edit(DraftEdit.Category(it))
            picking = false
        }
    }
    if (addingParty) {
        PartyDialog({ addingParty = false }) { name, side, phone, id ->
            edit(DraftEdit.AddParty(name, side, phone, id))
            addingParty = false
        }
    }
}

/** A whole number typed in; an empty field is 0. */
@Composable
fun NumberField(label: String, value: Long, onChange: (Long) -> Unit) {
    var text by rememberSaveable(label) { mutableStateOf(if (value == 0L) "" else value.toString()) }
    OutlinedTextField(
        text,
        { typed ->
            val digits = typed.filter(Char::isDigit).take(12)
            text = digits
            onChange(digits.toLongOrNull() ?: 0L)
        },
        label = { Text(label) },
        singleLine = true,
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
        modifier = Modifier.fillMaxWidth(),
    )
}

/** One of the core's choices, picked from a list. */
@Composable
fun ChoiceDialog(title: String, choices: List<Choice>, dismiss: () -> Unit, pick: (String) -> Unit) {
    AlertDialog(
        onDismissRequest = dismiss,
        confirmButton = {},
        dismissButton = { TextButton(onClick = dismiss) { Text(stringResource(R.string.cancel)) } },
        title = { Text(title) },
        text = {
            LazyColumn {
                items(choices, key = { it.code }) { c ->
                    Row(
                        Modifier.fillMaxWidth().clickable { pick(c.code) }.padding(vertical = 4.dp),
                        verticalAlignment = Alignment.CenterVertically,
                    ) {
                        RadioButton(selected = c.selected, onClick = { pick(c.code) })
                        Text(c.label)
                    }
                }
            }
        },
    )
}

/** A party to a dispute: name, side, phone and ID number (the core checks them). */
@Composable
private fun PartyDialog(dismiss: () -> Unit, add: (String, String, String, String) -> Unit) {
    var name by remember { mutableStateOf("") }
    var side by remember { mutableStateOf("applicant") }
    var phone by remember { mutableStateOf("") }
    var id by remember { mutableStateOf("") }
    AlertDialog(
        onDismissRequest = dismiss,
        confirmButton = { TextButton(onClick = { add(name, side, phone, id) }) { Text(stringResource(R.string.add)) } },
        dismissButton = { TextButton(onClick = dismiss) { Text(stringResource(R.string.cancel)) } },
        title = { Text(stringResource(R.string.add_party)) },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedTextField(name, { name = it }, label = { Text(stringResource(R.string.party_name)) }, singleLine = true)
                Row(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                    for ((code, label) in listOf(
                        "applicant" to R.string.side_applicant,
                        "respondent" to R.string.side_respondent,
                        "other" to R.string.side_other,
                    )) {
                        FilterChip(selected = side == code, onClick = { side = code }, label = { Text(stringResource(label)) })
                    }
                }
                OutlinedTextField(
                    phone,
                    { phone = it },
                    label = { Text(stringResource(R.string.party_phone)) },
                    singleLine = true,
                    keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Phone),
                )
                OutlinedTextField(id, { id = it }, label = { Text(stringResource(R.string.party_id)) }, singleLine = true)
            }
        },
    )
}
