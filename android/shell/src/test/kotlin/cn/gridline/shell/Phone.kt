package cn.gridline.shell

import cn.gridline.shared.CaseDetail
import cn.gridline.shared.Event
import cn.gridline.shared.Fix
import cn.gridline.shared.LocationResult
import cn.gridline.shared.PhotoResult
import cn.gridline.shared.Request
import cn.gridline.shared.Screen
import cn.gridline.shared.ViewModel
import com.novi.serde.Bytes
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import java.io.ByteArrayOutputStream
import java.io.File
import java.nio.file.Files
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicReference
import javax.imageio.ImageIO
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * A phone for the tests: the real [Core] with the real HTTP, file storage
 * and timers, standing at a position the test sets and with a picture the
 * test puts in front of the camera.
 */
class Phone(val dir: File = Files.createTempDirectory("gridline-jvm-phone-").toFile()) : AutoCloseable {
    val position = AtomicReference<Fix?>(null)
    val picture = AtomicReference<ByteArray?>(null)
    val requests = CopyOnWriteArrayList<Request>()
    val core: Core

    init {
        Library.useBuilt()
        val platform = Platform(
            http = HttpHandler(),
            store = FileStore(File(dir, "store")),
            timers = Timers(),
            location = LocationSource {
                position.get()?.let { LocationResult.Fix(it) } ?: LocationResult.Unavailable("no fix in the test")
            },
            camera = PhotoSource {
                picture.get()?.let { PhotoResult.Photo(Bytes(it), "image/png") } ?: PhotoResult.Cancelled
            },
        )
        core = Core(platform) { requests.add(it) }
    }

    fun send(event: Event) = core.send(event)

    val view: ViewModel get() = core.view.value

    /** Waits until the view model satisfies [test]; fails saying [what] did not happen. */
    fun until(what: String, limit: Duration = 60.seconds, test: (ViewModel) -> Boolean): ViewModel =
        runBlocking { withTimeoutOrNull(limit) { core.view.first(test) } }
            ?: throw AssertionError("waited $limit for $what; the phone shows ${core.view.value}; faults ${core.faults.value}")

    fun start(platform: String = "android") {
        send(Event.Start(platform, "jvm-test"))
        until("the app to start") { it.screen !is Screen.Loading }
    }

    fun login(server: String, user: String) {
        send(Event.Login(server, user, DemoServer.PASSWORD))
        until("$user to be logged in") { it.screen is Screen.Home }
    }

    override fun close() {
        core.close()
        dir.deleteRecursively()
    }
}

/** The case screen, if that is what the view shows. */
val ViewModel.case: CaseDetail? get() = (screen as? Screen.Case)?.value

/** A [width]×[height] PNG with a pattern drawn from [seed]. */
fun png(width: Int, height: Int, seed: Int): ByteArray {
    val image = java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB)
    for (y in 0 until height) for (x in 0 until width) image.setRGB(x, y, (x * 7 + y * 13 + seed * 101) * 0x010203 and 0xffffff)
    return ByteArrayOutputStream().also { ImageIO.write(image, "png", it) }.toByteArray()
}
