package cn.gridline.shell

import cn.gridline.shared.Event
import cn.gridline.shared.Route
import cn.gridline.shared.Screen
import cn.gridline.shared.ViewModel
import org.json.JSONObject
import java.io.File
import java.nio.file.Files

/**
 * The Android shell's costs on a desktop JVM, on a village cadre's phone
 * holding N cases (storage written by the `phone_storage` example):
 * launching from the files, an event through [Core] until its view is
 * published, and reading the view model in Kotlin. Not a test; run as
 * docs/BENCHMARKS.md says.
 */
fun main(args: Array<String>) {
    Library.useBuilt()
    val stored = JSONObject(File(args[0]).readText())
    val dir = Files.createTempDirectory("gridline-bench-phone-").toFile()
    val files = FileStore(File(dir, "store"))
    for (key in stored.keys()) files.set(key, hex(stored.getString(key)))
    val cases = stored.keySet().filter { "/c/" in it }.map { it.substringAfterLast('/') }
    val some = cases[cases.size / 2]
    println("${cases.size} cached cases in ${stored.length()} files")

    val launches = (1..7).map {
        val t = System.nanoTime()
        val phone = Phone(dir)
        phone.send(Event.Start("android", "bench"))
        phone.until("home") { v -> v.screen is Screen.Home }
        val ms = (System.nanoTime() - t) / 1e6
        phone.core.close()
        ms
    }
    println("launch from files to the home list: median %.0f ms (of 7; the first %.0f ms)".format(launches.sorted()[3], launches[0]))

    val phone = Phone(dir)
    phone.send(Event.Start("android", "bench"))
    phone.until("home") { v -> v.screen is Screen.Home }
    fun openAndBack() {
        phone.send(Event.Open(Route.Case(some)))
        phone.until("the case") { v -> v.screen is Screen.Case }
        phone.send(Event.Back)
        phone.until("home") { v -> v.screen is Screen.Home }
    }
    println("event through Core until its view is published: %.0f µs".format(perCall(100) { openAndBack() } / 2))
    // The view at home, as the bridge gives it (bincode is canonical: the
    // Kotlin value written back is the same bytes).
    val bytes = phone.core.view.value.bincodeSerialize()
    phone.core.close()
    val home = (ViewModel.bincodeDeserialize(bytes).screen as Screen.Home).value
    println("view model at home: ${bytes.size} bytes, ${home.cases.size} rows")
    println("reading it in Kotlin (bincodeDeserialize): %.0f µs".format(perCall(200) { ViewModel.bincodeDeserialize(bytes) }))
    dir.deleteRecursively()
}

private fun hex(s: String) = ByteArray(s.length / 2) { s.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

/** Median over 7 rounds of the mean time of [calls] calls, in µs, after a warm-up round. */
private fun perCall(calls: Int, f: () -> Unit): Double {
    repeat(calls) { f() }
    val means = (1..7).map {
        val t = System.nanoTime()
        repeat(calls) { f() }
        (System.nanoTime() - t) / 1e3 / calls
    }
    return means.sorted()[3]
}
