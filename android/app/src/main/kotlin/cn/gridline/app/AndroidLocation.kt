package cn.gridline.app

import android.Manifest
import android.content.Context
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationListener
import android.location.LocationManager
import android.os.Build
import android.os.Bundle
import android.os.CancellationSignal
import android.os.Looper
import cn.gridline.shared.Fix
import cn.gridline.shared.LocationResult
import cn.gridline.shell.LocationSource
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlin.coroutines.resume

/**
 * A position from the platform's `LocationManager`: GPS first, the network
 * provider where GPS is off. No Google Play services, so it works on the
 * phones sold without them. The core bounds the wait.
 */
class AndroidLocation(private val context: Context) : LocationSource {
    override suspend fun current(timeoutMs: UInt): LocationResult {
        val fine = context.checkSelfPermission(Manifest.permission.ACCESS_FINE_LOCATION) == PackageManager.PERMISSION_GRANTED
        val coarse = context.checkSelfPermission(Manifest.permission.ACCESS_COARSE_LOCATION) == PackageManager.PERMISSION_GRANTED
        if (!fine && !coarse) return LocationResult.Denied
        val manager = context.getSystemService(LocationManager::class.java)
            ?: return LocationResult.Unavailable("no location service on this phone")
        val provider = listOf(LocationManager.GPS_PROVIDER, LocationManager.NETWORK_PROVIDER)
            .firstOrNull { manager.isProviderEnabled(it) && (fine || it == LocationManager.NETWORK_PROVIDER) }
            ?: return LocationResult.Unavailable("location is switched off in the phone's settings")
        val location = try {
            one(manager, provider)
        } catch (e: SecurityException) {
            return LocationResult.Denied
        } ?: return LocationResult.Unavailable("no position from $provider")
        return LocationResult.Fix(
            Fix(
                lat = location.latitude,
                lon = location.longitude,
                accuracyM = if (location.hasAccuracy()) location.accuracy.toDouble() else 0.0,
                crs = "wgs84",
            ),
        )
    }

    @Suppress("MissingPermission")
    private suspend fun one(manager: LocationManager, provider: String): Location? =
        suspendCancellableCoroutine { cont ->
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
                val signal = CancellationSignal()
                cont.invokeOnCancellation { signal.cancel() }
                manager.getCurrentLocation(provider, signal, context.mainExecutor) { if (cont.isActive) cont.resume(it) }
            } else {
                // Android 8–10. Every method is implemented: before Android 11
                // they have no defaults and the platform calls them.
                val listener = object : LocationListener {
                    override fun onLocationChanged(location: Location) {
                        if (cont.isActive) cont.resume(location)
                    }

                    @Deprecated("Deprecated in Android")
                    override fun onStatusChanged(provider: String?, status: Int, extras: Bundle?) {}

                    override fun onProviderEnabled(provider: String) {}

                    override fun onProviderDisabled(provider: String) {
                        if (cont.isActive) cont.resume(null)
                    }
                }
                cont.invokeOnCancellation { manager.removeUpdates(listener) }
                @Suppress("DEPRECATION")
                manager.requestSingleUpdate(provider, listener, Looper.getMainLooper())
            }
        }
}
