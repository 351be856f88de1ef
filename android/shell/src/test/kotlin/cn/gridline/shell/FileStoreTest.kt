package cn.gridline.shell

import cn.gridline.shared.KeyValueOperation
import cn.gridline.shared.KeyValueResponse
import cn.gridline.shared.KeyValueResult
import cn.gridline.shared.Value
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.util.concurrent.TimeUnit
import kotlin.system.exitProcess

class FileStoreTest {
    @TempDir
    lateinit var dir: File

    @Test
    fun keysOfAnyShapeRoundTripAndListByPrefix() {
        val store = FileStore(dir)
        val keys = listOf("u/7/case/3f2a", "u/7/outbox", "u/8/case/x", "", "../../etc/passwd", "网格/620725101201001", "%41", ".hidden")
        for ((i, k) in keys.withIndex()) assertNull(store.set(k, byteArrayOf(i.toByte())), k)
        for ((i, k) in keys.withIndex()) assertArrayEquals(byteArrayOf(i.toByte()), store.get(k), k)
        assertEquals(listOf("u/7/case/3f2a", "u/7/outbox"), store.keys("u/7/"))
        assertEquals(keys.sorted(), store.keys(""))
        // Every key stays inside the folder: nothing was written outside it.
        assertTrue(dir.listFiles()!!.all { it.parentFile == dir && it.isFile })
        assertArrayEquals(byteArrayOf(0), store.set("u/7/case/3f2a", byteArrayOf(9)), "a write returns what it replaced")
        assertArrayEquals(byteArrayOf(9), store.delete("u/7/case/3f2a"))
        assertNull(store.get("u/7/case/3f2a"))
        assertNull(store.delete("u/7/case/3f2a"), "deleting nothing is fine")
    }

    @Test
    fun theCoresOperationsGetTheCoresAnswers() {
        val store = FileStore(dir)
        val bytes = listOf<UByte>(1u, 2u, 255u)
        assertEquals(KeyValueResult.Ok(KeyValueResponse.Set(Value.None)), store.handle(KeyValueOperation.Set("k", bytes)))
        assertEquals(KeyValueResult.Ok(KeyValueResponse.Get(Value.Bytes(bytes))), store.handle(KeyValueOperation.Get("k")))
        assertEquals(KeyValueResult.Ok(KeyValueResponse.Exists(true)), store.handle(KeyValueOperation.Exists("k")))
        assertEquals(KeyValueResult.Ok(KeyValueResponse.ListKeys(listOf("k"), 0u)), store.handle(KeyValueOperation.ListKeys("", 0u)))
        assertEquals(KeyValueResult.Ok(KeyValueResponse.Delete(Value.Bytes(bytes))), store.handle(KeyValueOperation.Delete("k")))
        assertEquals(KeyValueResult.Ok(KeyValueResponse.Exists(false)), store.handle(KeyValueOperation.Exists("k")))
    }

    @Test
    fun aFailedWriteIsAnErrorTheCoreSeesAndTheOldValueStays() {
        val store = FileStore(dir)
        store.set("outbox", "old".toByteArray())
        val tooLong = "k".repeat(400) // longer than a file name may be
        val r = store.handle(KeyValueOperation.Set(tooLong, listOf(1u)))
        assertTrue(r is KeyValueResult.Err, "$r")
        assertArrayEquals("old".toByteArray(), store.get("outbox"))
    }

    /**
     * A second JVM writes a new value, and is killed (SIGKILL) after the new
     * bytes are on disk and before the rename. The store opened afterwards
     * reads the old value whole, lists no stray key, and cleans up.
     */
    @Test
    fun aCrashBetweenWriteAndRenameKeepsTheOldValue() {
        val java = File(System.getProperty("java.home"), "bin/java").path
        val child = ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashingWriter::class.java.name, dir.path)
            .redirectErrorStream(true)
            .start()
        val said = child.inputStream.bufferedReader().readLine()
        assertEquals("written, not renamed", said, "the child got to the point of the crash")
        child.destroyForcibly()
        assertTrue(child.waitFor(30, TimeUnit.SECONDS))
        assertTrue(dir.list()!!.any { it.endsWith(".tmp") }, "the crash left the new bytes in a temporary file")

        val store = FileStore(dir)
        assertArrayEquals("the outbox before".toByteArray(), store.get("u/1/outbox"))
        assertEquals(listOf("u/1/outbox"), store.keys(""))
        assertTrue(dir.list()!!.none { it.endsWith(".tmp") }, "opening removed it")
        store.set("u/1/outbox", "the outbox after".toByteArray())
        assertArrayEquals("the outbox after".toByteArray(), FileStore(dir).get("u/1/outbox"))
    }
}

/** The process [FileStoreTest] kills mid-write. */
object CrashingWriter {
    @JvmStatic
    fun main(args: Array<String>) {
        val dir = File(args[0])
        FileStore(dir).set("u/1/outbox", "the outbox before".toByteArray())
        val store = FileStore(dir) {
            println("written, not renamed")
            System.out.flush()
            Thread.sleep(120_000)
            exitProcess(3) // never reached: the test kills this process first
        }
        store.set("u/1/outbox", "the outbox after".toByteArray())
    }
}
