package cn.gridline.app.ui

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.SnackbarHost
import androidx.compose.material3.SnackbarHostState
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.painterResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridline.app.R
import cn.gridline.app.Settings
import cn.gridline.shared.Event
import cn.gridline.shared.Screen
import cn.gridline.shared.SyncView
import cn.gridline.shared.ViewModel
import cn.gridline.shell.Core

/**
 * Draws whatever the core's view model says, and turns taps into events.
 * No decisions are made here: what is shown, in which language, and what
 * a tap does are the core's.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun GridlineUi(core: Core, settings: Settings) {
    val view by core.view.collectAsStateWithLifecycle()
    val send: (Event) -> Unit = core::send
    val snackbar = remember { SnackbarHostState() }
    var showSettings by remember { mutableStateOf(false) }
    LaunchedEffect(view.toast) { view.toast?.let { snackbar.showSnackbar(it) } }
    BackHandler(enabled = view.canGoBack) { send(Event.Back) }

    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(title(view)) },
                navigationIcon = {
                    if (view.canGoBack) {
                        IconButton(onClick = { send(Event.Back) }) {
                            Icon(painterResource(android.R.drawable.ic_menu_revert), stringResource(R.string.back))
                        }
                    }
                },
                actions = {
                    TextButton(onClick = { showSettings = true }) { Text(stringResource(R.string.settings)) }
                    if (view.user != null) {
                        TextButton(onClick = { send(Event.Logout) }) { Text(stringResource(R.string.log_out)) }
                    }
                },
            )
        },
        bottomBar = { if (view.user != null) SyncBar(view.sync, send) },
        snackbarHost = { SnackbarHost(snackbar) },
    ) { padding ->
        Box(Modifier.padding(padding).fillMaxSize()) {
            when (val s = view.screen) {
                is Screen.Loading -> CircularProgressIndicator(Modifier.align(Alignment.Center))
                is Screen.Login -> LoginScreen(s.value, send)
                is Screen.Home -> HomeScreen(s.value, settings.tiles, send)
                is Screen.NewReport -> ReportScreen(s.value, send)
                is Screen.Case -> CaseScreen(s.value, settings.tiles, send)
                is Screen.Visits -> VisitsScreen(s.value, send)
                is Screen.Visit -> VisitScreen(s.value, send)
                is Screen.Gone -> Text(s.message, Modifier.padding(24.dp))
            }
        }
    }
    if (showSettings) SettingsDialog(settings) { showSettings = false }
}

private fun title(view: ViewModel): String =
    when (val s = view.screen) {
        is Screen.Home -> s.value.title
        is Screen.Case -> s.value.item.category
        else -> view.user ?: "Gridline"
    }

/** What waits to be sent and what went wrong, always in sight. */
@Composable
private fun SyncBar(sync: SyncView, send: (Event) -> Unit) {
    Surface(tonalElevation = 3.dp) {
        Column(Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 8.dp)) {
            Text(sync.line, style = MaterialTheme.typography.bodySmall)
            sync.problem?.let { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall) }
            sync.storage?.let { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall) }
            sync.notices.forEach { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall) }
            if (sync.notices.isNotEmpty() || sync.storage != null) {
                TextButton(onClick = { send(Event.DismissNotices) }) { Text(stringResource(R.string.dismiss)) }
            }
            if (!sync.busy) {
                Button(onClick = { send(Event.SyncNow) }) { Text(stringResource(R.string.sync_now)) }
            }
        }
    }
}
