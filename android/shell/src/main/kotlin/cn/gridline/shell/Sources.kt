package cn.gridline.shell

import cn.gridline.shared.LocationOperation
import cn.gridline.shared.LocationResult
import cn.gridline.shared.PhotoOperation
import cn.gridline.shared.PhotoResult
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.withTimeoutOrNull

/**
 * Where a position comes from: on a phone the platform's `LocationManager`
 * (no Play services), in tests a fixed point. Answers within `timeoutMs`
 * or not at all; the shell turns silence into `Unavailable`.
 */
fun interface LocationSource {
    suspend fun current(timeoutMs: UInt): LocationResult
}

/** Where a picture comes from: the camera or the gallery on a phone. */
fun interface PhotoSource {
    suspend fun capture(op: PhotoOperation): PhotoResult
}

/**
 * Asks [source] for a fix, bounded by the core's timeout; a source that
 * fails or says nothing in time is "unavailable", with the reason.
 */
internal suspend fun locate(source: LocationSource, op: LocationOperation): LocationResult =
    when (op) {
        is LocationOperation.Current -> try {
            withTimeoutOrNull(op.timeoutMs.toLong()) { source.current(op.timeoutMs) }
                ?: LocationResult.Unavailable("no position within ${op.timeoutMs.toLong() / 1000} s")
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            LocationResult.Unavailable(e.message ?: e::class.simpleName.orEmpty())
        }
    }

/** Asks [source] for a picture; a source that throws has failed, with the reason. */
internal suspend fun capture(source: PhotoSource, op: PhotoOperation): PhotoResult =
    try {
        source.capture(op)
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        PhotoResult.Failed(e.message ?: e::class.simpleName.orEmpty())
    }
