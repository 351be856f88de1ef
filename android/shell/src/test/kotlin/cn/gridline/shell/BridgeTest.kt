package cn.gridline.shell

import cn.gridline.ffi.CoreException
import cn.gridline.ffi.CoreFfi
import cn.gridline.shared.Effect
import cn.gridline.shared.Event
import cn.gridline.shared.KeyValueOperation
import cn.gridline.shared.KeyValueResponse
import cn.gridline.shared.KeyValueResult
import cn.gridline.shared.Requests
import cn.gridline.shared.Screen
import cn.gridline.shared.Value
import cn.gridline.shared.ViewModel
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The generated Kotlin (uniffi over JNA, and crux's types) against the real
 * Rust library: what a shell sends and receives crosses intact, and a
 * shell's mistakes are exceptions it can catch.
 */
class BridgeTest {
    init {
        Library.useBuilt()
    }

    private val nothingStored =
        KeyValueResult.Ok(KeyValueResponse.Get(Value.None)).bincodeSerialize()

    private fun start(core: CoreFfi): UInt {
        val out = core.update(Event.Start("android", "jvm-test").bincodeSerialize())
        val requests = Requests.bincodeDeserialize(out).value
        val read = requests.first { r ->
            val e = r.effect
            e is Effect.KeyValue && e.value is KeyValueOperation.Get
        }
        return read.id
    }

    @Test
    fun anAnswerIsTakenOnceAndTheLoginScreenFollows() {
        val core = CoreFfi()
        val id = start(core)
        var out = core.resolve(id, nothingStored)
        // Launch reads a few keys in turn; none is stored.
        while (true) {
            val next = Requests.bincodeDeserialize(out).value.firstOrNull { r ->
                val e = r.effect
                e is Effect.KeyValue && e.value is KeyValueOperation.Get
            } ?: break
            out = core.resolve(next.id, nothingStored)
        }
        val e = assertThrows<CoreException.UnknownEffect> { core.resolve(id, nothingStored) }
        assertEquals(id, e.id)
        val view = ViewModel.bincodeDeserialize(core.view())
        assertTrue(view.screen is Screen.Login, "a phone with nothing stored asks to log in: ${view.screen}")
    }

    @Test
    fun badBytesAreCaughtAndTheCoreGoesOn() {
        val core = CoreFfi()
        assertThrows<CoreException.BadEvent> {
            core.update(byteArrayOf(-1, -1, -1, 0x7f))
        }
        assertThrows<CoreException.UnknownEffect> { core.resolve(4242u, nothingStored) }
        start(core)
    }
}
