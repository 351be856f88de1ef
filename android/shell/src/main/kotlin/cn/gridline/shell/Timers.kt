package cn.gridline.shell

import cn.gridline.shared.Instant
import cn.gridline.shared.TimeRequest
import cn.gridline.shared.TimeResponse
import cn.gridline.shared.TimerId
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.selects.select
import java.util.concurrent.ConcurrentHashMap

/** The wall clock and a way to wait on it. */
interface Clock {
    /** Nanoseconds since 1970-01-01 UTC. */
    fun nowNanos(): Long

    suspend fun sleepNanos(nanos: Long)

    /** The system's clock; waits are coroutine delays (no thread held). */
    object System : Clock {
        override fun nowNanos(): Long {
            val t = java.time.Instant.now()
            return t.epochSecond * 1_000_000_000 + t.nano
        }

        override suspend fun sleepNanos(nanos: Long) = delay((nanos + 999_999) / 1_000_000)
    }
}

/**
 * The core's Time effect: the time now, and timers that go off after a
 * while or at an instant. A timer cleared before it goes off answers
 * `Cleared`, and so does the clear request.
 */
class Timers(private val clock: Clock = Clock.System) {
    private val pending = ConcurrentHashMap<TimerId, CompletableDeferred<Unit>>()

    suspend fun handle(op: TimeRequest): TimeResponse =
        when (op) {
            is TimeRequest.Now -> TimeResponse.Now(instant(clock.nowNanos()))
            is TimeRequest.NotifyAfter -> wait(op.id, op.duration.nanos.toLongClamped()) {
                TimeResponse.DurationElapsed(op.id)
            }
            is TimeRequest.NotifyAt -> {
                val at = op.instant.seconds.toLongClamped().saturatingTimes(1_000_000_000) +
                    op.instant.nanos.toLong()
                wait(op.id, (at - clock.nowNanos()).coerceAtLeast(0)) { TimeResponse.InstantArrived(op.id) }
            }
            is TimeRequest.Clear -> {
                pending.remove(op.id)?.complete(Unit)
                TimeResponse.Cleared(op.id)
            }
        }

    /** Timers set and neither gone off nor cleared. */
    val waiting: Int get() = pending.size

    private suspend fun wait(id: TimerId, nanos: Long, done: () -> TimeResponse): TimeResponse {
        val cleared = CompletableDeferred<Unit>()
        pending[id] = cleared
        return try {
            coroutineScope {
                val sleep = async { clock.sleepNanos(nanos) }
                select {
                    sleep.onAwait { done() }
                    cleared.onAwait {
                        sleep.cancel()
                        TimeResponse.Cleared(id)
                    }
                }
            }
        } finally {
            pending.remove(id, cleared)
        }
    }

    private fun instant(nanos: Long) =
        Instant(
            (nanos / 1_000_000_000).toULong(),
            (nanos % 1_000_000_000).toUInt(),
        )
}

private fun ULong.toLongClamped(): Long = if (this > Long.MAX_VALUE.toULong()) Long.MAX_VALUE else toLong()

private fun Long.saturatingTimes(k: Long): Long =
    if (this > Long.MAX_VALUE / k) Long.MAX_VALUE else this * k
