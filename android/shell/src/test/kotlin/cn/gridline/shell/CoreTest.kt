package cn.gridline.shell

import cn.gridline.shared.DraftEdit
import cn.gridline.shared.Effect
import cn.gridline.shared.Event
import cn.gridline.shared.PhotoResult
import cn.gridline.shared.Route
import cn.gridline.shared.Screen
import cn.gridline.shared.TimeRequest
import cn.gridline.shared.TimeResponse
import cn.gridline.shared.TimerId
import com.novi.serde.Bytes
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoreTest {
    private val server = DemoServer()

    @AfterAll
    fun stop() = server.close()

    /**
     * A camera result that arrives a second time (an Android activity
     * result delivered again after the app was recreated) answers an effect
     * the core no longer waits on: a fault the shell lists, not a crash,
     * and the phone goes on working.
     */
    @Test
    fun aStaleEffectIdIsACaughtFault() {
        Phone().use { phone ->
            phone.start()
            phone.login(server.url, "grid-worker")
            phone.picture.set(png(32, 32, seed = 1))
            phone.send(Event.Open(Route.NewReport))
            phone.send(Event.Draft(DraftEdit.TakePhoto))
            phone.until("the photo on the form") { (it.screen as? Screen.NewReport)?.value?.photos == 1u }
            val taken = phone.requests.last { it.effect is Effect.Photo }.id

            phone.core.resolve(taken, PhotoResult.Photo(Bytes(png(32, 32, seed = 2)), "image/png").bincodeSerialize())
            phone.send(Event.Draft(DraftEdit.Description("门口路灯不亮")))
            val form = phone.until("the next edit") {
                (it.screen as? Screen.NewReport)?.value?.description == "门口路灯不亮"
            }.screen as Screen.NewReport
            assertEquals(1u, form.value.photos, "the second answer added nothing")
            val faults = phone.core.faults.value
            assertEquals(1, faults.size, "$faults")
            assertEquals("UnknownEffect", faults[0].code)
            assertTrue(faults[0].detail.contains("$taken"), faults[0].detail)
        }
    }

    @Test
    fun aClearedTimerAnswersClearedAndSoDoesTheClear() = runBlocking {
        val timers = Timers()
        val id = TimerId(7u)
        val waiting = async { timers.handle(TimeRequest.NotifyAfter(id, cn.gridline.shared.Duration(3_600_000_000_000u))) }
        while (timers.waiting == 0) yield()
        assertEquals(TimeResponse.Cleared(id), timers.handle(TimeRequest.Clear(id)))
        assertEquals(TimeResponse.Cleared(id), waiting.await())
        assertEquals(0, timers.waiting)
        val soon = timers.handle(TimeRequest.NotifyAfter(TimerId(8u), cn.gridline.shared.Duration(1_000_000u)))
        assertEquals(TimeResponse.DurationElapsed(TimerId(8u)), soon)
    }
}
