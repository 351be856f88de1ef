package cn.gridline.shell

import okhttp3.MediaType.Companion.toMediaType
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import org.json.JSONObject
import org.json.JSONTokener
import java.io.File
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/**
 * `gridline demo` (the binary named by `gridline.bin`) serving Shandan
 * county from a scratch folder on a loopback port. It can be killed (as a
 * power cut or a crash kills it) and started again on the same port and
 * data, which is how a test makes the server unreachable and brings it back.
 */
class DemoServer : AutoCloseable {
    val dir: File = Files.createTempDirectory("gridline-jvm-server-").toFile()
    private var process: Process? = null
    lateinit var url: String
        private set
    private val client = OkHttpClient.Builder().readTimeout(30, TimeUnit.SECONDS).build()

    init {
        start("127.0.0.1:0")
    }

    private fun start(listen: String) {
        val bin = System.getProperty("gridline.bin").orEmpty()
        require(File(bin).canExecute()) { "gridline.bin: no gridline binary at '$bin'" }
        val p = ProcessBuilder(bin, "--data-dir", dir.path, "demo", "--listen", listen, "--demo-password", PASSWORD)
            .redirectErrorStream(true)
            .start()
        val lines = p.inputStream.bufferedReader()
        val seen = StringBuilder()
        while (true) {
            val line = lines.readLine()
                ?: throw IllegalStateException("the demo server stopped (exit ${p.waitFor()}):\n$seen")
            seen.appendLine(line)
            val at = line.indexOf("serving on http://")
            if (at >= 0) {
                url = line.substring(at + "serving on ".length).trim().split(' ').first()
                break
            }
        }
        // Keep reading so the server never blocks on a full pipe.
        thread(isDaemon = true) { lines.forEachLine { } }
        process = p
    }

    /** Kills the server at once (SIGKILL): nothing is flushed on the way out. */
    fun kill() {
        process?.destroyForcibly()?.waitFor()
        process = null
    }

    /** Starts it again on the same address and data. */
    fun restart() {
        check(process == null) { "the server is running" }
        start(url.removePrefix("http://"))
    }

    /** Calls the API as `user` would; returns the status and the JSON answer. */
    fun call(path: String, token: String? = null, body: JSONObject? = null): Pair<Int, Any?> {
        val b = Request.Builder().url(url + path).header("accept", "application/json")
        if (token != null) b.header("authorization", "Bearer $token")
        if (body != null) b.post(body.toString().toRequestBody("application/json".toMediaType()))
        client.newCall(b.build()).execute().use { r ->
            val text = r.body?.string().orEmpty()
            return r.code to (if (text.isBlank()) null else JSONTokener(text).nextValue())
        }
    }

    fun token(user: String): String {
        val (status, body) = call("/v1/auth/login", body = JSONObject(mapOf("username" to user, "password" to PASSWORD)))
        check(status == 200) { "login as $user: $status $body" }
        return (body as JSONObject).getString("access_token")
    }

    override fun close() {
        kill()
        dir.deleteRecursively()
    }

    companion object {
        const val PASSWORD = "jvm-test-password"
    }
}
