package cn.gridline.shell

import cn.gridline.shared.KeyValueError
import cn.gridline.shared.KeyValueOperation
import cn.gridline.shared.KeyValueResponse
import cn.gridline.shared.KeyValueResult
import cn.gridline.shared.Value
import java.io.File
import java.io.FileOutputStream
import java.io.IOException
import java.nio.channels.FileChannel
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption
import java.util.UUID

/**
 * The core's KeyValue effect on files: one file per key in [dir].
 *
 * A write goes to a temporary file, is flushed to the disk, and is then
 * renamed over the key's file, so a reader (or the app after a crash)
 * finds the old value or the new one, never a torn one. A crash between
 * the write and the rename leaves only a temporary file, which is removed
 * when the store next opens and is never read as a key.
 *
 * File names are the keys with every byte outside `[A-Za-z0-9_-]` written
 * as `%XX`, so any key is a safe name and no key can name a temporary file
 * (those end in `.tmp`).
 *
 * Not thread-safe by itself: the [Core] runs its operations one at a time.
 */
class FileStore(
    private val dir: File,
    /** Runs after a write is on disk and before it is renamed (tests crash here). */
    private val beforeRename: () -> Unit = {},
) {
    init {
        if (!dir.isDirectory && !dir.mkdirs()) throw IOException("cannot create the store folder $dir")
        dir.listFiles { f -> f.name.endsWith(TMP) }?.forEach { it.delete() }
    }

    fun handle(op: KeyValueOperation): KeyValueResult =
        try {
            KeyValueResult.Ok(
                when (op) {
                    is KeyValueOperation.Get -> KeyValueResponse.Get(value(get(op.key)))
                    is KeyValueOperation.Set -> KeyValueResponse.Set(value(set(op.key, op.value.toByteArray())))
                    is KeyValueOperation.Delete -> KeyValueResponse.Delete(value(delete(op.key)))
                    is KeyValueOperation.Exists -> KeyValueResponse.Exists(file(op.key).isFile)
                    is KeyValueOperation.ListKeys -> KeyValueResponse.ListKeys(keys(op.prefix), 0u)
                },
            )
        } catch (e: IOException) {
            KeyValueResult.Err(KeyValueError.Io(e.message ?: e::class.simpleName.orEmpty()))
        } catch (e: SecurityException) {
            KeyValueResult.Err(KeyValueError.Other(e.message ?: "not allowed"))
        }

    fun get(key: String): ByteArray? {
        val f = file(key)
        return if (f.isFile) f.readBytes() else null
    }

    /** Stores [bytes] under [key]; returns what was there. */
    fun set(key: String, bytes: ByteArray): ByteArray? {
        val target = file(key)
        val previous = if (target.isFile) target.readBytes() else null
        val temp = File(dir, "${target.name}.${UUID.randomUUID()}$TMP")
        try {
            FileOutputStream(temp).use { out ->
                out.write(bytes)
                out.fd.sync()
            }
            beforeRename()
            try {
                Files.move(temp.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
            } catch (e: AtomicMoveNotSupportedException) {
                throw IOException("this file system cannot replace a file atomically: ${e.message}")
            }
        } finally {
            temp.delete()
        }
        syncDir()
        return previous
    }

    /** Removes [key]; returns what was there. */
    fun delete(key: String): ByteArray? {
        val f = file(key)
        if (!f.isFile) return null
        val previous = f.readBytes()
        if (!f.delete() && f.exists()) throw IOException("cannot delete $key")
        syncDir()
        return previous
    }

    /** Every stored key that starts with [prefix], sorted. */
    fun keys(prefix: String): List<String> =
        (dir.list() ?: throw IOException("cannot list $dir"))
            .filterNot { it.endsWith(TMP) }
            .mapNotNull(::decode)
            .filter { it.startsWith(prefix) }
            .sorted()

    private fun file(key: String) = File(dir, encode(key))

    /** Makes the rename itself durable (a no-op where folders cannot be opened). */
    private fun syncDir() {
        try {
            FileChannel.open(dir.toPath(), StandardOpenOption.READ).use { it.force(true) }
        } catch (_: IOException) {
        }
    }

    private fun value(bytes: ByteArray?): Value = if (bytes == null) Value.None else Value.Bytes(bytes.toUByteList())

    companion object {
        private const val TMP = ".tmp"

        fun encode(key: String): String {
            if (key.isEmpty()) return "%"
            val out = StringBuilder()
            for (b in key.toByteArray(Charsets.UTF_8)) {
                val c = b.toInt() and 0xff
                if (c in 'a'.code..'z'.code || c in 'A'.code..'Z'.code || c in '0'.code..'9'.code || c == '_'.code || c == '-'.code) {
                    out.append(c.toChar())
                } else {
                    out.append('%').append("%02X".format(c))
                }
            }
            return out.toString()
        }

        /** The key a file name stands for; null for a name no key encodes to. */
        fun decode(name: String): String? {
            if (name == "%") return ""
            val bytes = java.io.ByteArrayOutputStream()
            var i = 0
            while (i < name.length) {
                val c = name[i]
                if (c == '%') {
                    val hex = name.substring(i + 1, minOf(i + 3, name.length))
                    if (hex.length != 2 || hex.any { it !in "0123456789ABCDEF" }) return null
                    bytes.write(hex.toInt(16))
                    i += 3
                } else {
                    if (c.code > 0x7f) return null
                    bytes.write(c.code)
                    i += 1
                }
            }
            return bytes.toString(Charsets.UTF_8)
        }
    }
}

internal fun ByteArray.toUByteList(): List<UByte> = List(size) { this[it].toUByte() }

internal fun List<UByte>.toByteArray(): ByteArray = ByteArray(size) { this[it].toByte() }
