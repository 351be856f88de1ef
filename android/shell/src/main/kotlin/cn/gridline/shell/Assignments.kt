package cn.gridline.shell

import cn.gridline.shared.CaseItem
import cn.gridline.shared.Screen
import cn.gridline.shared.ViewModel
import java.io.File

/**
 * Which assignments to announce: cases on a cadre's (or any unit member's)
 * home list waiting to be signed for that this phone has not announced
 * before. What was announced is kept in [dir] (written atomically, like
 * the core's storage), so a case is announced once however often sync
 * runs or the app restarts; a case that leaves "assigned" and comes back
 * (returned, reassigned) is new again.
 *
 * Grid workers and residents are not told: a case they reported that
 * moves on to the village is not theirs to sign for.
 */
class Assignments(dir: File) {
    private val store = FileStore(dir)

    /** The assignments [view] shows that are new; remembers them as announced. */
    fun fresh(view: ViewModel): List<CaseItem> {
        val home = (view.screen as? Screen.Home)?.value ?: return emptyList()
        if (home.role in NOT_ASSIGNED) return emptyList()
        val assigned = home.cases.filter { it.status == "assigned" && !it.waiting }
        val before = store.get(KEY)?.toString(Charsets.UTF_8)?.lines()?.filter { it.isNotEmpty() }?.toSet().orEmpty()
        val now = assigned.map { it.id }.toSet()
        if (now != before) store.set(KEY, now.sorted().joinToString("\n").toByteArray())
        return assigned.filter { it.id !in before }
    }

    private companion object {
        const val KEY = "announced"
        val NOT_ASSIGNED = setOf("grid_worker", "resident")
    }
}
