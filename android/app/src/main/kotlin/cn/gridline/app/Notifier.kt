package cn.gridline.app

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import cn.gridline.shared.CaseItem

/** Tells a cadre about assignments that background sync brought in. */
object Notifier {
    private const val CHANNEL = "assignments"
    const val EXTRA_CASE = "cn.gridline.case"

    fun createChannel(context: Context) {
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.O) return
        val channel = NotificationChannel(
            CHANNEL,
            context.getString(R.string.channel_assignments),
            NotificationManager.IMPORTANCE_HIGH,
        )
        context.getSystemService(NotificationManager::class.java)?.createNotificationChannel(channel)
    }

    /** One notification per new case (a summary if there are many); taps open the case. */
    fun announce(context: Context, cases: List<CaseItem>) {
        if (cases.isEmpty()) return
        if (Build.VERSION.SDK_INT >= 33 &&
            context.checkSelfPermission(Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED
        ) {
            return
        }
        val nm = NotificationManagerCompat.from(context)
        for (c in cases.take(MAX_SINGLE)) {
            val open = Intent(context, MainActivity::class.java)
                .putExtra(EXTRA_CASE, c.id)
                .addFlags(Intent.FLAG_ACTIVITY_SINGLE_TOP or Intent.FLAG_ACTIVITY_CLEAR_TOP)
            val tap = PendingIntent.getActivity(
                context,
                c.id.hashCode(),
                open,
                PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
            )
            val n = NotificationCompat.Builder(context, CHANNEL)
                .setSmallIcon(android.R.drawable.stat_notify_more)
                .setContentTitle(context.getString(R.string.new_assignment, c.category))
                .setContentText(listOfNotNull(c.summary, c.deadline).joinToString(" · "))
                .setContentIntent(tap)
                .setAutoCancel(true)
                .build()
            @Suppress("MissingPermission")
            nm.notify(c.id.hashCode(), n)
        }
        if (cases.size > MAX_SINGLE) {
            val n = NotificationCompat.Builder(context, CHANNEL)
                .setSmallIcon(android.R.drawable.stat_notify_more)
                .setContentTitle(context.getString(R.string.new_assignments, cases.size))
                .setContentIntent(
                    PendingIntent.getActivity(
                        context,
                        0,
                        Intent(context, MainActivity::class.java),
                        PendingIntent.FLAG_IMMUTABLE,
                    ),
                )
                .setAutoCancel(true)
                .build()
            @Suppress("MissingPermission")
            nm.notify(SUMMARY_ID, n)
        }
    }

    private const val MAX_SINGLE = 3
    private const val SUMMARY_ID = 1
}
