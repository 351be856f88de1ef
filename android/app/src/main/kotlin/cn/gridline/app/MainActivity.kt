package cn.gridline.app

import android.Manifest
import android.content.Intent
import android.net.Uri
import android.os.Build
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import cn.gridline.app.ui.GridlineTheme
import cn.gridline.app.ui.GridlineUi
import cn.gridline.shared.Event
import cn.gridline.shared.Route

/** The one activity: draws the core's view and lends the camera its launchers. */
class MainActivity : ComponentActivity() {
    private val app get() = application as GridlineApp

    private val takePicture = registerForActivityResult(ActivityResultContracts.TakePicture()) { ok ->
        app.camera.taken(ok)
    }
    private val pickPicture = registerForActivityResult(ActivityResultContracts.PickVisualMedia()) { uri ->
        app.camera.delivered(uri)
    }
    private val askPermissions = registerForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { }

    private val launchers = object : AndroidCamera.Launchers {
        override fun take(into: Uri) = takePicture.launch(into)

        override fun pick() = pickPicture.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly))
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val wanted = buildList {
            add(Manifest.permission.ACCESS_FINE_LOCATION)
            add(Manifest.permission.ACCESS_COARSE_LOCATION)
            if (Build.VERSION.SDK_INT >= 33) add(Manifest.permission.POST_NOTIFICATIONS)
        }.filter { checkSelfPermission(it) != android.content.pm.PackageManager.PERMISSION_GRANTED }
        if (wanted.isNotEmpty() && savedInstanceState == null) askPermissions.launch(wanted.toTypedArray())
        openFrom(intent)
        setContent { GridlineTheme { GridlineUi(app.core, app.settings) } }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        openFrom(intent)
    }

    override fun onResume() {
        super.onResume()
        app.camera.attach(launchers)
    }

    override fun onPause() {
        app.camera.attach(null)
        super.onPause()
    }

    /** A tapped notification opens its case. */
    private fun openFrom(intent: Intent?) {
        val id = intent?.getStringExtra(Notifier.EXTRA_CASE) ?: return
        app.core.send(Event.Open(Route.Case(id)))
        intent.removeExtra(Notifier.EXTRA_CASE)
    }
}
