package cn.gridline.shell

import cn.gridline.shared.HttpError
import cn.gridline.shared.HttpHeader
import cn.gridline.shared.HttpRequest
import cn.gridline.shared.HttpResponse
import cn.gridline.shared.HttpResult
import com.novi.serde.Bytes
import kotlinx.coroutines.suspendCancellableCoroutine
import okhttp3.Call
import okhttp3.Callback
import okhttp3.Headers
import okhttp3.HttpUrl.Companion.toHttpUrlOrNull
import okhttp3.MediaType.Companion.toMediaTypeOrNull
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import okhttp3.Response
import java.io.IOException
import java.io.InterruptedIOException
import java.util.concurrent.TimeUnit
import kotlin.coroutines.resume

/**
 * The core's Http effect over OkHttp.
 *
 * Every failure to get the server's own answer is an `HttpError` the core
 * can act on (it keeps the change queued and retries later):
 * - no connection, a reset, a refused port: `Io`, with the cause;
 * - no answer in time: `Timeout`;
 * - a **captive portal**: the hotel or village Wi-Fi that answers every
 *   request with its own sign-in page. Gridline's API never answers with a
 *   web page or a redirect, so a `2xx` with an HTML body, or any redirect,
 *   is `Io` ("the network answered with a web page…"), never a response
 *   the core would try to read as the server's.
 *
 * Redirects are not followed, for the same reason.
 */
class HttpHandler(private val client: OkHttpClient = defaultClient()) {
    suspend fun send(request: HttpRequest): HttpResult {
        val built = build(request) ?: return HttpResult.Err(HttpError.Url(request.url))
        return suspendCancellableCoroutine { cont ->
            val call = client.newCall(built)
            cont.invokeOnCancellation { call.cancel() }
            call.enqueue(
                object : Callback {
                    override fun onFailure(call: Call, e: IOException) {
                        cont.resume(HttpResult.Err(failure(e)))
                    }

                    override fun onResponse(call: Call, response: Response) {
                        val result = try {
                            response.use(::read)
                        } catch (e: IOException) {
                            HttpResult.Err(failure(e))
                        }
                        cont.resume(result)
                    }
                },
            )
        }
    }

    private fun build(request: HttpRequest): Request? {
        val url = request.url.toHttpUrlOrNull() ?: return null
        val headers = Headers.Builder()
        for (h in request.headers) {
            try {
                headers.add(h.name, h.value)
            } catch (_: IllegalArgumentException) {
                return null
            }
        }
        val method = request.method.uppercase()
        val type = request.headers.firstOrNull { it.name.equals("content-type", ignoreCase = true) }
            ?.value?.toMediaTypeOrNull()
        val bytes = request.body.content
        val body = when {
            bytes.isNotEmpty() -> bytes.toRequestBody(type)
            method in NEEDS_BODY -> ByteArray(0).toRequestBody(type)
            else -> null
        }
        return try {
            Request.Builder().url(url).headers(headers.build()).method(method, body).build()
        } catch (_: IllegalArgumentException) {
            null
        }
    }

    private fun read(response: Response): HttpResult {
        if (response.isRedirect) {
            val to = response.header("location").orEmpty()
            return HttpResult.Err(HttpError.Io("$PORTAL (redirected to $to)"))
        }
        val type = response.header("content-type").orEmpty().lowercase()
        if (response.isSuccessful && type.startsWith("text/html")) {
            return HttpResult.Err(HttpError.Io("$PORTAL (a ${response.code} page of HTML)"))
        }
        val source = response.body?.source()
        if (source != null && source.request(MAX_BODY + 1)) {
            return HttpResult.Err(HttpError.Io("the answer is longer than a phone takes ($MAX_BODY bytes)"))
        }
        val body = source?.buffer?.readByteArray() ?: ByteArray(0)
        val headers = response.headers.map { (name, value) -> HttpHeader(name.lowercase(), value) }
        return HttpResult.Ok(HttpResponse(response.code.toUShort(), headers, Bytes(body)))
    }

    private fun failure(e: IOException): HttpError =
        if (e is InterruptedIOException) {
            HttpError.Timeout
        } else {
            HttpError.Io(e.message ?: e::class.simpleName.orEmpty())
        }

    companion object {
        private val NEEDS_BODY = setOf("POST", "PUT", "PATCH")

        /** Said when a network puts its own page in the server's place. */
        const val PORTAL = "the network answered with a web page instead of the server: sign in to the Wi-Fi or try another network"

        /** The largest answer read into memory: a photo at full size fits. */
        const val MAX_BODY: Long = 32L * 1024 * 1024

        /**
         * Timeouts for slow rural networks: 15 s to connect, 45 s between
         * bytes (a sync long poll holds up to 25 s), 30 s per write.
         */
        fun defaultClient(): OkHttpClient =
            OkHttpClient.Builder()
                .connectTimeout(15, TimeUnit.SECONDS)
                .readTimeout(45, TimeUnit.SECONDS)
                .writeTimeout(30, TimeUnit.SECONDS)
                .followRedirects(false)
                .followSslRedirects(false)
                .build()
    }
}
