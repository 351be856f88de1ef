package cn.gridline.shell

import cn.gridline.shared.ActionInput
import cn.gridline.shared.DraftEdit
import cn.gridline.shared.Event
import cn.gridline.shared.Fix
import cn.gridline.shared.Route
import cn.gridline.shared.Screen
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * The Android shell's platform layer end to end, on a desktop JVM: the real
 * Rust core through JNA, OkHttp, files and timers, against `gridline demo`.
 *
 * A grid worker reports a safety hazard with a photo while the server is
 * down; the server comes back and the phone's queue drains by itself (the
 * core's retry timer, a real timer here); the case lands in the worker's
 * grid and goes to the village. The village cadre, on a second core, finds
 * it assigned, signs for it, starts and resolves it, and the worker's phone
 * sees it resolved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioTest {
    private val server = DemoServer()

    @AfterAll
    fun stop() = server.close()

    @Test
    fun aReportMadeWhileTheServerIsDownReachesTheCadreWhoResolvesIt() {
        val workerToken = server.token("grid-worker")
        val (status, grids) = server.call("/v1/grids", workerToken)
        assertEquals(200, status, "$grids")
        val mine = (grids as JSONObject).getJSONArray("features").let { all ->
            (0 until all.length()).map { all.getJSONObject(it) }
                .single { it.getJSONObject("properties").getString("code") == WORKER_GRID }
        }
        // A MultiPolygon: its first polygon's rings.
        val (lon, lat) = inside(mine.getJSONObject("geometry").getJSONArray("coordinates").getJSONArray(0))

        Phone().use { worker ->
            worker.start()
            assertTrue(worker.view.screen is Screen.Login, "a new phone asks to log in")
            worker.login(server.url, "grid-worker")

            // The server goes away; the worker reports anyway.
            server.kill()
            worker.position.set(Fix(lat, lon, 5.0, "wgs84"))
            worker.picture.set(png(96, 64, seed = 8))
            worker.send(Event.Open(Route.NewReport))
            for (edit in listOf(
                DraftEdit.Category("safety_hazard"),
                DraftEdit.Description("村道旁土墙开裂，有倒塌危险"),
                DraftEdit.UseMyLocation,
                DraftEdit.TakePhoto,
            )) {
                worker.send(Event.Draft(edit))
            }
            worker.until("the photo and the position on the form") {
                val form = (it.screen as? Screen.NewReport)?.value
                form != null && form.photos == 1u && form.location != null
            }
            worker.send(Event.SubmitReport)
            val waiting = worker.until("the failed send to be said") {
                it.case?.item?.waiting == true && it.sync.problem != null
            }
            val id = waiting.case!!.item.id
            assertEquals(1u, waiting.sync.waiting, "${waiting.sync}")

            // It comes back: the retry timer goes off and the queue drains.
            server.restart()
            worker.until("the queue to drain, the problem to clear and the case to be assigned") {
                it.sync.waiting == 0u && it.sync.problem == null && it.case?.item?.status == "assigned"
            }
            val case = caseOnServer(id, workerToken)
            assertEquals(WORKER_GRID, case.getJSONObject("grid").getString("code"), "placed in the grid it was made in")
            assertEquals("safety_hazard", case.getString("category"))
            assertEquals("grid_patrol", case.getString("channel"))
            assertEquals(lat, case.getJSONObject("location").getDouble("lat"), 1e-6)
            val photos = case.getJSONArray("photos")
            assertEquals(1, photos.length(), "$case")
            assertTrue(photos.getJSONObject(0).getBoolean("available"), "the photo's bytes arrived")
            assertNotNull(case.optJSONObject("assignee"), "someone at the village has it: $case")

            worker.send(Event.Back)
            val workerHome = worker.until("the worker's list") { v ->
                (v.screen as? Screen.Home)?.value?.cases?.any { it.id == id && it.status == "assigned" } == true
            }
            assertEquals(
                emptyList<Any>(),
                Assignments(java.io.File(worker.dir, "announced")).fresh(workerHome).map { it.id },
                "the reporting grid worker is not told to sign for it",
            )

            // The cadre's phone: a second core, its own storage.
            Phone().use { cadre ->
                cadre.start()
                cadre.login(server.url, "cadre")
                val home = cadre.until("the assignment to reach the cadre's list") { v ->
                    (v.screen as? Screen.Home)?.value?.cases?.any { it.id == id } == true
                }
                // What the app's background sync would announce: this case, once.
                val announced = Assignments(java.io.File(cadre.dir, "announced"))
                assertTrue(announced.fresh(home).any { it.id == id }, "the new assignment is announced")
                assertEquals(emptyList<Any>(), announced.fresh(home).map { it.id }, "and only once")
                cadre.send(Event.Open(Route.Case(id)))
                var detail = cadre.until("the case to open") { it.case?.item?.id == id }.case!!
                assertEquals(1, detail.photos.size, "the photo shows on the cadre's phone")
                for ((action, next) in listOf("sign_for" to "signed_for", "start" to "in_progress", "resolve" to "resolved")) {
                    assertTrue(detail.actions.any { it.action == action }, "$action offered: ${detail.actions}")
                    val input = when (action) {
                        "sign_for" -> ActionInput.SignFor
                        "start" -> ActionInput.Start
                        else -> ActionInput.Resolve(detail.outcomes.first().code, "已加固土墙并设置警示")
                    }
                    cadre.send(Event.Act(id, input))
                    detail = cadre.until("$action to be sent") {
                        val d = it.case
                        d != null && d.item.status == next && !d.item.waiting && it.sync.waiting == 0u
                    }.case!!
                    assertEquals(next, caseOnServer(id, server.token("cadre")).getString("status"), "the server agrees")
                }
                assertEquals(emptyList<Fault>(), cadre.core.faults.value)
            }

            // The worker's phone hears of it.
            worker.send(Event.Open(Route.Case(id)))
            worker.send(Event.SyncNow)
            worker.until("the worker to see it resolved") { it.case?.item?.status == "resolved" }
            assertEquals(emptyList<Fault>(), worker.core.faults.value)
        }
    }

    private fun caseOnServer(id: String, token: String): JSONObject {
        val (status, body) = server.call("/v1/cases/$id", token)
        assertEquals(200, status, "$body")
        return body as JSONObject
    }

    companion object {
        const val WORKER_GRID = "620725101201001"

        /**
         * A point inside the polygon of [rings] (outer first, then holes):
         * the outer ring's vertex average if it is inside, else the middle
         * of the widest inside stretch of the horizontal line through it.
         */
        fun inside(rings: JSONArray): Pair<Double, Double> {
            val all = (0 until rings.length()).map { r ->
                val ring = rings.getJSONArray(r)
                (0 until ring.length()).map { ring.getJSONArray(it).let { p -> p.getDouble(0) to p.getDouble(1) } }
            }
            val outer = all.first().dropLast(1)
            val lon = outer.sumOf { it.first } / outer.size
            val lat = outer.sumOf { it.second } / outer.size
            val xs = all.flatMap { it.zipWithNext() }
                .filter { (a, b) -> (a.second > lat) != (b.second > lat) }
                .map { (a, b) -> a.first + (lat - a.second) / (b.second - a.second) * (b.first - a.first) }
                .sorted()
            val spans = xs.chunked(2).filter { it.size == 2 }
            if (spans.any { (x0, x1) -> lon in x0..x1 }) return lon to lat
            val (x0, x1) = spans.maxBy { (x0, x1) -> x1 - x0 }
            return (x0 + x1) / 2 to lat
        }
    }
}
