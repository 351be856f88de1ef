package cn.gridline.app

import android.app.Application
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import cn.gridline.shared.Event
import cn.gridline.shared.Lang
import cn.gridline.shell.Assignments
import cn.gridline.shell.Core
import cn.gridline.shell.FileStore
import cn.gridline.shell.HttpHandler
import cn.gridline.shell.Platform
import cn.gridline.shell.Timers
import java.io.File
import java.util.Locale

/**
 * One core for the whole process: the screens, the background sync worker
 * and the notifications all talk to it. It starts with the process, tells
 * the core when the app comes to the front or leaves it, and schedules the
 * background sync.
 */
class GridlineApp : Application() {
    lateinit var core: Core
        private set
    lateinit var camera: AndroidCamera
        private set
    lateinit var assignments: Assignments
        private set
    lateinit var settings: Settings
        private set

    /** An activity of ours is on screen. */
    @Volatile
    var visible = false
        private set

    override fun onCreate() {
        super.onCreate()
        camera = AndroidCamera(this)
        settings = Settings(this)
        assignments = Assignments(File(filesDir, "announced"))
        core = Core(
            Platform(
                http = HttpHandler(),
                store = FileStore(File(filesDir, "core")),
                timers = Timers(),
                location = AndroidLocation(this),
                camera = camera,
            ),
        )
        core.send(Event.Start("android", BuildInfo.version(this)))
        core.send(Event.SetLanguage(if (Locale.getDefault().language == "zh") Lang.ZH else Lang.EN))
        Notifier.createChannel(this)
        SyncWorker.schedule(this)
        ProcessLifecycleOwner.get().lifecycle.addObserver(
            object : DefaultLifecycleObserver {
                override fun onStart(owner: LifecycleOwner) {
                    visible = true
                    core.send(Event.Foreground)
                }

                override fun onStop(owner: LifecycleOwner) {
                    visible = false
                    core.send(Event.Background)
                }
            },
        )
    }
}

/** The app's version as the core reports it to the server. */
object BuildInfo {
    fun version(app: Application): String =
        try {
            app.packageManager.getPackageInfo(app.packageName, 0).versionName ?: "0"
        } catch (_: Exception) {
            "0"
        }
}
