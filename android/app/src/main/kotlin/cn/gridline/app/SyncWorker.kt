package cn.gridline.app

import android.content.Context
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.NetworkType
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import cn.gridline.shared.Event
import cn.gridline.shared.Route
import cn.gridline.shared.Screen
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.withTimeoutOrNull
import java.util.concurrent.TimeUnit

/**
 * Background sync: every 15 minutes with a network (Android's floor),
 * the core sends what waits and pulls what changed; new assignments are
 * announced. A failed round is retried with WorkManager's backoff; the
 * core's own queue keeps everything meanwhile.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val app = applicationContext as GridlineApp
        val core = app.core
        withTimeoutOrNull(10_000) { core.view.first { it.screen !is Screen.Loading } } ?: return Result.retry()
        if (core.view.value.screen is Screen.Login) return Result.success() // nobody logged in
        // Out of sight the list is what the announcement reads; on screen
        // the user is left where they are (and sees the list anyway).
        if (!app.visible) core.send(Event.Open(Route.Home))
        core.send(Event.SyncNow)
        // A quick round may pass unseen (the view is conflated): wait a
        // little for it to start, then for it to end.
        withTimeoutOrNull(5_000) { core.view.first { it.sync.busy } }
        val settled = withTimeoutOrNull(60_000) { core.view.first { !it.sync.busy } } ?: return Result.retry()
        if (!app.visible) Notifier.announce(app, app.assignments.fresh(settled))
        return if (settled.sync.problem == null) Result.success() else Result.retry()
    }

    companion object {
        fun schedule(context: Context) {
            val request = PeriodicWorkRequestBuilder<SyncWorker>(15, TimeUnit.MINUTES)
                .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
                .build()
            WorkManager.getInstance(context)
                .enqueueUniquePeriodicWork("sync", ExistingPeriodicWorkPolicy.KEEP, request)
        }
    }
}
