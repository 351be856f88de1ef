package cn.gridline.shell

import cn.gridline.shared.Event
import cn.gridline.shared.HttpError
import cn.gridline.shared.HttpHeader
import cn.gridline.shared.HttpRequest
import cn.gridline.shared.HttpResult
import cn.gridline.shared.Screen
import com.novi.serde.Bytes
import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import kotlinx.coroutines.runBlocking
import okhttp3.OkHttpClient
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * The HTTP handler against a loopback server that plays every network a
 * phone meets: the real API, a hotel Wi-Fi's sign-in page, a redirect, a
 * server too slow to answer, and nobody at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpHandlerTest {
    private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
        executor = Executors.newCachedThreadPool()
        createContext("/portal") { it.reply(200, "text/html; charset=utf-8", "<html><body>请登录 Wi-Fi</body></html>") }
        createContext("/redirect") {
            it.responseHeaders.add("Location", "http://10.0.0.1/login")
            it.reply(302, "text/plain", "")
        }
        createContext("/echo") { ex ->
            val body = ex.requestBody.readBytes()
            ex.responseHeaders.add("X-Method", ex.requestMethod)
            ex.responseHeaders.add("X-Got-Type", ex.requestHeaders.getFirst("content-type").orEmpty())
            ex.reply(201, "application/json", body)
        }
        createContext("/missing") { it.reply(404, "application/json", """{"error":"not_found"}""") }
        createContext("/slow") {
            Thread.sleep(3_000)
            it.reply(200, "application/json", "{}")
        }
        start()
    }
    private val base = "http://127.0.0.1:${server.address.port}"
    private val http = HttpHandler()

    @AfterAll
    fun stop() = server.stop(0)

    private fun get(url: String, handler: HttpHandler = http) =
        runBlocking { handler.send(HttpRequest("GET", url, listOf(HttpHeader("accept", "application/json")), Bytes.empty())) }

    @Test
    fun aSignInPageInsteadOfTheServerIsAFailure() {
        val r = get("$base/portal")
        assertTrue(r is HttpResult.Err && r.value is HttpError.Io, "$r")
        val why = ((r as HttpResult.Err).value as HttpError.Io).value
        assertTrue(why.contains("web page"), why)
    }

    @Test
    fun aRedirectIsAFailureAndIsNotFollowed() {
        val r = get("$base/redirect")
        val why = ((r as HttpResult.Err).value as HttpError.Io).value
        assertTrue(why.contains("http://10.0.0.1/login"), why)
    }

    @Test
    fun theServersOwnAnswersComeBackWhole() {
        val body = "{\"description\":\"路灯不亮\"}".toByteArray()
        val r = runBlocking {
            http.send(HttpRequest("POST", "$base/echo", listOf(HttpHeader("content-type", "application/json")), Bytes(body)))
        }
        val ok = (r as HttpResult.Ok).value
        assertEquals(201.toUShort(), ok.status)
        assertArrayEquals(body, ok.body.content)
        val headers = ok.headers.associate { it.name to it.value }
        assertEquals("POST", headers["x-method"], "header names reach the core in lower case: $headers")
        assertTrue(headers["x-got-type"].orEmpty().startsWith("application/json"), "$headers")
        // An error status is the server speaking, not a network failure.
        val missing = (get("$base/missing") as HttpResult.Ok).value
        assertEquals(404.toUShort(), missing.status)
    }

    @Test
    fun silenceIsATimeoutAndNobodyIsAnIoError() {
        val impatient = HttpHandler(OkHttpClient.Builder().readTimeout(300, TimeUnit.MILLISECONDS).build())
        val slow = get("$base/slow", impatient)
        assertEquals(HttpResult.Err(HttpError.Timeout), slow)
        val port = ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).use { it.localPort }
        val nobody = get("http://127.0.0.1:$port/v1/me")
        assertTrue(nobody is HttpResult.Err && nobody.value is HttpError.Io, "$nobody")
        val bad = get("not a url")
        assertEquals(HttpResult.Err(HttpError.Url("not a url")), bad)
    }

    @Test
    fun loggingInThroughASignInPageSaysSoAndStaysOnTheLoginScreen() {
        Phone().use { phone ->
            phone.start()
            phone.send(Event.Login("$base/portal", "grid-worker", "whatever-password"))
            val login = phone.until("the login to fail") {
                val v = (it.screen as? Screen.Login)?.value
                v != null && !v.busy && v.error != null
            }
            val error = (login.screen as Screen.Login).value.error!!
            assertTrue(error.contains("web page"), "the user is told what the network did: $error")
        }
    }

    private fun HttpExchange.reply(status: Int, type: String, body: String) = reply(status, type, body.toByteArray())

    private fun HttpExchange.reply(status: Int, type: String, body: ByteArray) {
        responseHeaders.add("Content-Type", type)
        sendResponseHeaders(status, if (body.isEmpty()) -1 else body.size.toLong())
        if (body.isNotEmpty()) responseBody.write(body)
        close()
    }
}
