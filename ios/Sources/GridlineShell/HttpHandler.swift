import Foundation
import SharedTypes
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The core's Http effect over URLSession.
///
/// Every failure to get the server's own answer is an `HttpError` the core
/// can act on (it keeps the change queued and retries later): no
/// connection is `io`, no answer in time is `timeout`, and a captive
/// portal (the Wi-Fi that answers every request with its sign-in page) is
/// `io` too: Gridline's API never answers with a web page or a redirect,
/// so a `2xx` HTML page or any redirect is never passed on as the
/// server's answer. Redirects are not followed.
public final class HttpHandler: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    /// Said when a network puts its own page in the server's place.
    public static let portal = "the network answered with a web page instead of the server: sign in to the Wi-Fi or try another network"

    /// The largest answer taken: a photo at full size fits.
    public static let maxBody = 32 * 1024 * 1024

    private var session: URLSession!

    /// Timeouts for slow rural networks: 45 s between bytes (a sync long
    /// poll holds 25 s), 120 s for a whole request.
    public init(requestTimeout: TimeInterval = 45, resourceTimeout: TimeInterval = 120) {
        super.init()
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = requestTimeout
        config.timeoutIntervalForResource = resourceTimeout
        #if !os(Linux)
        config.waitsForConnectivity = false // fail at once offline: the core's queue waits, not the request
        #endif
        session = URLSession(configuration: config, delegate: self, delegateQueue: nil)
    }

    public func send(_ request: HttpRequest) async -> HttpResult {
        guard let url = URL(string: request.url), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()) else {
            return .err(.url(request.url))
        }
        var r = URLRequest(url: url)
        r.httpMethod = request.method.uppercased()
        for h in request.headers {
            r.addValue(h.value, forHTTPHeaderField: h.name)
        }
        if !request.body.isEmpty {
            r.httpBody = Data(request.body)
        }
        // Cancelling the Swift task (Core.close) cancels the request, so a
        // held long poll ends now rather than at its timeout.
        let running = Running()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { cont in
                let task = session.dataTask(with: r) { data, response, error in
                    cont.resume(returning: HttpHandler.read(data, response, error))
                }
                running.start(task)
            }
        } onCancel: {
            running.cancel()
        }
    }

    static func read(_ data: Data?, _ response: URLResponse?, _ error: Error?) -> HttpResult {
        if let error = error as NSError? {
            if error.domain == NSURLErrorDomain && error.code == NSURLErrorTimedOut {
                return .err(.timeout)
            }
            if error.domain == NSURLErrorDomain && error.code == NSURLErrorCancelled {
                return .err(.io("the request was cancelled: the app is closing"))
            }
            return .err(.io(error.localizedDescription))
        }
        guard let http = response as? HTTPURLResponse else {
            return .err(.io("no HTTP answer"))
        }
        let status = http.statusCode
        let type = (http.value(forHTTPHeaderField: "Content-Type") ?? "").lowercased()
        if (300 ..< 400).contains(status) {
            let to = http.value(forHTTPHeaderField: "Location") ?? ""
            return .err(.io("\(portal) (redirected to \(to))"))
        }
        if (200 ..< 300).contains(status) && type.hasPrefix("text/html") {
            return .err(.io("\(portal) (a \(status) page of HTML)"))
        }
        let body = data ?? Data()
        if body.count > maxBody {
            return .err(.io("the answer is longer than a phone takes (\(maxBody) bytes)"))
        }
        var headers: [HttpHeader] = []
        for (k, v) in http.allHeaderFields {
            headers.append(HttpHeader(name: "\(k)".lowercased(), value: "\(v)"))
        }
        return .ok(HttpResponse(status: UInt16(clamping: status), headers: headers, body: [UInt8](body)))
    }

    /// Redirects are answered as they are (and then refused above).
    public func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

/// The request a send is waiting on, so a cancellation that arrives before
/// the request has started still stops it.
private final class Running: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func start(_ t: URLSessionDataTask) {
        let stop: Bool = lock.withLock {
            task = t
            return cancelled
        }
        t.resume()
        if stop { t.cancel() }
    }

    func cancel() {
        let t: URLSessionDataTask? = lock.withLock {
            cancelled = true
            return task
        }
        t?.cancel()
    }
}
