package cn.gridline.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import cn.gridline.app.R
import cn.gridline.shared.Event
import cn.gridline.shared.LoginView

/** The server's address (the county's, set once) and the user's account. */
@Composable
fun LoginScreen(v: LoginView, send: (Event) -> Unit) {
    var server by rememberSaveable(v.server) { mutableStateOf(v.server) }
    var username by rememberSaveable(v.username) { mutableStateOf(v.username) }
    var password by rememberSaveable { mutableStateOf("") }
    Column(Modifier.padding(24.dp).fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        if (v.expired) Text(stringResource(R.string.session_expired), color = MaterialTheme.colorScheme.error)
        OutlinedTextField(
            server,
            { server = it },
            label = { Text(stringResource(R.string.server)) },
            placeholder = { Text("https://gridline.example.gov.cn") },
            singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Uri),
            modifier = Modifier.fillMaxWidth(),
        )
        OutlinedTextField(
            username,
            { username = it },
            label = { Text(stringResource(R.string.username)) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        OutlinedTextField(
            password,
            { password = it },
            label = { Text(stringResource(R.string.password)) },
            singleLine = true,
            visualTransformation = PasswordVisualTransformation(),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password),
            modifier = Modifier.fillMaxWidth(),
        )
        v.error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        Button(
            onClick = { send(Event.Login(server.trim(), username.trim(), password)) },
            enabled = !v.busy,
            modifier = Modifier.fillMaxWidth(),
        ) { Text(stringResource(if (v.busy) R.string.logging_in else R.string.log_in)) }
    }
}
