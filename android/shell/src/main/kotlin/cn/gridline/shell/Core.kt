package cn.gridline.shell

import cn.gridline.ffi.CoreException
import cn.gridline.ffi.CoreFfi
import cn.gridline.shared.Effect
import cn.gridline.shared.Event
import cn.gridline.shared.KeyValueOperation
import cn.gridline.shared.Request
import cn.gridline.shared.Requests
import cn.gridline.shared.ViewModel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/**
 * The phone's core: the Rust app behind [CoreFfi], and the loop that runs
 * the effects it asks for.
 *
 * Every call into the library happens on one coroutine, in the order events
 * and answers arrived, so the core never sees two callers at once. Effects
 * run beside it: HTTP and timers concurrently, storage one operation at a
 * time in the order the core asked (a later write must land after an
 * earlier one), location and camera through the platform's sources. The
 * view model the core renders is published on [view].
 *
 * A mistake on the shell's side (an answer to an effect the core no longer
 * waits on, bytes it cannot read) is caught and listed on [faults]; the
 * core goes on.
 */
class Core(
    private val platform: Platform,
    private val trace: (Request) -> Unit = {},
) : AutoCloseable {
    private val ffi = CoreFfi()
    private val job = SupervisorJob()
    private val scope = CoroutineScope(Dispatchers.Default + job)
    private val inbox = Channel<Work>(Channel.UNLIMITED)
    private val storage = Channel<Pair<UInt, KeyValueOperation>>(Channel.UNLIMITED)

    private val views = MutableStateFlow(ViewModel.bincodeDeserialize(ffi.view()))
    private val faultList = MutableStateFlow<List<Fault>>(emptyList())

    /** What the core shows now; a new value on every render. */
    val view: StateFlow<ViewModel> = views.asStateFlow()

    /** The shell's mistakes the core refused, oldest first. */
    val faults: StateFlow<List<Fault>> = faultList.asStateFlow()

    private sealed interface Work {
        class Send(val event: Event) : Work

        class Answer(val id: UInt, val bytes: ByteArray) : Work
    }

    init {
        scope.launch {
            for (work in inbox) {
                val out = when (work) {
                    is Work.Send -> call("update") { ffi.update(work.event.bincodeSerialize()) }
                    is Work.Answer -> call("resolve ${work.id}") { ffi.resolve(work.id, work.bytes) }
                } ?: continue
                val requests = try {
                    Requests.bincodeDeserialize(out).value
                } catch (e: Exception) {
                    fault("Requests", "the core's requests could not be read: ${e.message}")
                    continue
                }
                requests.forEach(::dispatch)
            }
        }
        scope.launch(Dispatchers.IO) {
            for ((id, op) in storage) {
                resolve(id, platform.store.handle(op).bincodeSerialize())
            }
        }
    }

    /** Hands the core an event; its effects run in the background. */
    fun send(event: Event) {
        inbox.trySend(Work.Send(event))
    }

    /**
     * Answers effect [id] with [bytes] (a bincode result of the effect's
     * kind). The handlers answer through here; a platform callback that
     * arrives on its own (a camera result after the app was recreated) may
     * too. An id the core no longer waits on becomes a [Fault].
     */
    fun resolve(id: UInt, bytes: ByteArray) {
        inbox.trySend(Work.Answer(id, bytes))
    }

    private fun dispatch(request: Request) {
        trace(request)
        val id = request.id
        when (val effect = request.effect) {
            is Effect.Render -> render()
            is Effect.KeyValue -> storage.trySend(id to effect.value)
            is Effect.Http -> scope.launch(Dispatchers.IO) {
                resolve(id, platform.http.send(effect.value).bincodeSerialize())
            }
            is Effect.Time -> scope.launch {
                resolve(id, platform.timers.handle(effect.value).bincodeSerialize())
            }
            is Effect.Location -> scope.launch {
                resolve(id, locate(platform.location, effect.value).bincodeSerialize())
            }
            is Effect.Photo -> scope.launch {
                resolve(id, capture(platform.camera, effect.value).bincodeSerialize())
            }
        }
    }

    private fun render() {
        val bytes = call("view") { ffi.view() } ?: return
        try {
            views.value = ViewModel.bincodeDeserialize(bytes)
        } catch (e: Exception) {
            fault("ViewModel", "the view model could not be read: ${e.message}")
        }
    }

    private inline fun call(what: String, f: () -> ByteArray): ByteArray? =
        try {
            f()
        } catch (e: CoreException) {
            val code = e::class.simpleName ?: "CoreException"
            fault(code, "$what: ${e.message}")
            null
        }

    private fun fault(code: String, detail: String) {
        faultList.update { it + Fault(code, detail) }
    }

    /** Stops the effects under way and frees the core. */
    override fun close() {
        inbox.close()
        storage.close()
        runBlocking { job.cancelAndJoin() }
        ffi.close()
    }
}

/**
 * A call the core refused: `code` is the error's kind (`UnknownEffect`,
 * `BadOutput`, `BadEvent`, `Serialize`, or the type that could not be
 * read), `detail` says what happened.
 */
data class Fault(val code: String, val detail: String)

/** What the core's effects run on: one of each, supplied by the app. */
class Platform(
    val http: HttpHandler,
    val store: FileStore,
    val timers: Timers,
    val location: LocationSource,
    val camera: PhotoSource,
)
