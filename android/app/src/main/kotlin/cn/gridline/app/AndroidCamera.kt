package cn.gridline.app

import android.content.Context
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.graphics.Matrix
import android.net.Uri
import androidx.core.content.FileProvider
import androidx.exifinterface.media.ExifInterface
import cn.gridline.shared.PhotoOperation
import cn.gridline.shared.PhotoResult
import cn.gridline.shell.PhotoSource
import com.novi.serde.Bytes
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.io.ByteArrayOutputStream
import java.io.File

/**
 * Photos through the system camera app (`ACTION_IMAGE_CAPTURE`, so no
 * camera permission) or the photo picker. The activity on screen lends
 * its launchers ([attach]); the result comes back through [delivered],
 * even to a recreated activity. Pictures are scaled to at most 1600 px on
 * the long side, turned upright and sent as JPEG: what a case needs, and
 * what a 2G upload can carry.
 */
class AndroidCamera(private val context: Context) : PhotoSource {
    /** What the activity on screen can launch. */
    interface Launchers {
        fun take(into: Uri)

        fun pick()
    }

    @Volatile
    private var launchers: Launchers? = null
    private var waiting: CompletableDeferred<Uri?>? = null
    private val shot = File(context.cacheDir, "photos/shot.jpg")

    fun attach(l: Launchers?) {
        launchers = l
    }

    /** The camera app took a picture (true) or was cancelled. */
    fun taken(ok: Boolean) = delivered(if (ok) uriOf(shot) else null)

    /** The picker's choice, or null when cancelled. */
    fun delivered(uri: Uri?) {
        waiting?.complete(uri)
        waiting = null
    }

    override suspend fun capture(op: PhotoOperation): PhotoResult {
        val l = launchers ?: return PhotoResult.Failed("open Gridline to take a photo")
        val answer = CompletableDeferred<Uri?>()
        waiting?.complete(null)
        waiting = answer
        withContext(Dispatchers.Main) {
            when (op) {
                PhotoOperation.TAKE -> {
                    shot.parentFile?.mkdirs()
                    l.take(uriOf(shot))
                }
                PhotoOperation.PICK -> l.pick()
            }
        }
        val uri = answer.await() ?: return PhotoResult.Cancelled
        return withContext(Dispatchers.IO) {
            try {
                PhotoResult.Photo(Bytes(shrink(uri)), "image/jpeg")
            } catch (e: Exception) {
                PhotoResult.Failed("the photo could not be read: ${e.message}")
            }
        }
    }

    private fun uriOf(f: File): Uri = FileProvider.getUriForFile(context, "${context.packageName}.photos", f)

    private fun shrink(uri: Uri): ByteArray {
        val resolver = context.contentResolver
        val bounds = BitmapFactory.Options().apply { inJustDecodeBounds = true }
        resolver.openInputStream(uri).use { BitmapFactory.decodeStream(it, null, bounds) }
        var sample = 1
        while (maxOf(bounds.outWidth, bounds.outHeight) / (sample * 2) >= LONG_SIDE) sample *= 2
        val decoded = resolver.openInputStream(uri).use {
            BitmapFactory.decodeStream(it, null, BitmapFactory.Options().apply { inSampleSize = sample })
        } ?: throw IllegalStateException("not a picture")
        val turn = resolver.openInputStream(uri).use { s ->
            when (s?.let { ExifInterface(it).getAttributeInt(ExifInterface.TAG_ORIENTATION, 1) }) {
                ExifInterface.ORIENTATION_ROTATE_90 -> 90f
                ExifInterface.ORIENTATION_ROTATE_180 -> 180f
                ExifInterface.ORIENTATION_ROTATE_270 -> 270f
                else -> 0f
            }
        }
        val scale = minOf(1f, LONG_SIDE.toFloat() / maxOf(decoded.width, decoded.height))
        val m = Matrix().apply {
            postScale(scale, scale)
            postRotate(turn)
        }
        val upright = Bitmap.createBitmap(decoded, 0, 0, decoded.width, decoded.height, m, true)
        return ByteArrayOutputStream().use { out ->
            upright.compress(Bitmap.CompressFormat.JPEG, 85, out)
            out.toByteArray()
        }
    }

    private companion object {
        const val LONG_SIDE = 1600
    }
}
