import Foundation
import GridlineShell
import SharedTypes
import XCTest

/// What the shell must survive: networks that are not the server, a crash
/// in the middle of a write, its own mistakes, cleared timers.
final class EdgeTests: XCTestCase {
    private func get(_ url: String, _ handler: HttpHandler = HttpHandler()) async -> HttpResult {
        await handler.send(HttpRequest(method: "GET", url: url, headers: [HttpHeader(name: "accept", value: "application/json")], body: []))
    }

    func testASignInPageOrARedirectInsteadOfTheServerIsAFailure() async throws {
        let portal = try CannedServer(status: "200 OK", headers: ["Content-Type": "text/html; charset=utf-8"], body: "<html>请登录 Wi-Fi</html>")
        defer { portal.stop() }
        guard case let .err(.io(why)) = await get(portal.url + "/v1/me") else { return XCTFail("a sign-in page passed as the server's answer") }
        XCTAssertTrue(why.contains("web page"), why)

        let redirect = try CannedServer(status: "302 Found", headers: ["Location": "http://10.0.0.1/login"], body: "")
        defer { redirect.stop() }
        guard case let .err(.io(why2)) = await get(redirect.url + "/v1/me") else { return XCTFail("a redirect passed or was followed") }
        XCTAssertTrue(why2.contains("http://10.0.0.1/login"), why2)

        let api = try CannedServer(status: "404 Not Found", headers: ["Content-Type": "application/json", "X-Request-Id": "r1"], body: #"{"error":"not_found"}"#)
        defer { api.stop() }
        guard case let .ok(r) = await get(api.url + "/v1/cases/x") else { return XCTFail("the server's own 404 is an answer") }
        XCTAssertEqual(r.status, 404)
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), #"{"error":"not_found"}"#)
        XCTAssertTrue(r.headers.contains(HttpHeader(name: "x-request-id", value: "r1")), "header names reach the core in lower case: \(r.headers)")
    }

    func testSilenceIsATimeoutNobodyIsAnIoErrorAndABadAddressIsAUrlError() async throws {
        let slow = try CannedServer(status: "200 OK", headers: ["Content-Type": "application/json"], body: "{}", delay: 4)
        defer { slow.stop() }
        let r = await get(slow.url, HttpHandler(requestTimeout: 1, resourceTimeout: 2))
        XCTAssertEqual(r, .err(.timeout))
        let nobody = try CannedServer(status: "200 OK", headers: [:], body: "")
        let port = nobody.port
        nobody.stop()
        guard case .err(.io) = await get("http://127.0.0.1:\(port)/v1/me") else { return XCTFail("a closed port") }
        let bad = await get("not a url")
        XCTAssertEqual(bad, .err(.url("not a url")))
    }

    /// Closing the app cancels a request under way (a long poll the server
    /// holds) instead of leaving it to its timeout.
    func testACancelledRequestEndsAtOnceWithoutTheServersAnswer() async throws {
        let holding = try CannedServer(status: "200 OK", headers: ["Content-Type": "application/json"], body: "{}", delay: 30)
        defer { holding.stop() }
        let handler = HttpHandler()
        let started = Date()
        let send = Task { await self.get(holding.url + "/v1/sync/pull?wait=25", handler) }
        try await Task.sleep(nanoseconds: 300_000_000)
        send.cancel()
        guard case let .err(.io(why)) = await send.value else { return XCTFail("the held request ran on to the server's answer") }
        XCTAssertTrue(why.contains("cancelled"), why)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "it ended well before the server answered")
    }

    func testABackgroundRefreshWithNobodyLoggedInDoesNothing() async throws {
        let phone = try Phone()
        defer { phone.close() }
        phone.send(.start(platform: "ios", appVersion: "swift-test"))
        let news = try Assignments(dir: phone.dir.appendingPathComponent("announced"))
        let r = await refresh(phone.core, assignments: news, onScreen: false, seconds: 10)
        XCTAssertEqual(r, .loggedOut)
        XCTAssertFalse(phone.requests.contains { if case .http = $0.effect { return true } else { return false } }, "nothing was sent")
    }

    func testLoggingInThroughASignInPageSaysSoAndStaysOnTheLoginScreen() async throws {
        let portal = try CannedServer(status: "200 OK", headers: ["Content-Type": "text/html"], body: "<html>login</html>")
        defer { portal.stop() }
        let phone = try Phone()
        defer { phone.close() }
        try await phone.start()
        phone.send(.login(server: portal.url, username: "grid-worker", password: "whatever-password"))
        let v = try await phone.until("the login to fail") { v in
            if case let .login(l) = v.screen { return !l.busy && l.error != nil }
            return false
        }
        guard case let .login(l) = v.screen else { return XCTFail() }
        XCTAssertTrue(l.error!.contains("web page"), "the user is told what the network did: \(l.error!)")
    }

    func testKeysOfAnyShapeRoundTripAndStayInsideTheFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridline-swift-kv-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try FileStore(dir: dir)
        let keys = ["u/7/case/3f2a", "u/7/outbox", "u/8/case/x", "", "../../etc/passwd", "网格/620725101201001", "%41", ".hidden"]
        for (i, k) in keys.enumerated() { XCTAssertNil(try store.set(k, [UInt8(i)]), k) }
        for (i, k) in keys.enumerated() { XCTAssertEqual(try store.get(k), [UInt8(i)], k) }
        XCTAssertEqual(try store.keys("u/7/"), ["u/7/case/3f2a", "u/7/outbox"])
        XCTAssertEqual(try store.keys(""), keys.sorted())
        XCTAssertEqual(try store.set("u/7/outbox", [9]), [1], "a write returns what it replaced")
        XCTAssertEqual(store.handle(.delete(key: "u/7/outbox")), .ok(response: .delete(previous: .bytes([9]))))
        XCTAssertEqual(store.handle(.exists(key: "u/7/outbox")), .ok(response: .exists(isPresent: false)))
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(names.count, keys.count - 1, "one file per key, all in the folder: \(names)")
    }

    /// A second process writes a new value and is killed (SIGKILL) after the
    /// bytes are on disk and before the rename; the store opened afterwards
    /// reads the old value whole and lists no stray key.
    func testACrashBetweenWriteAndRenameKeepsTheOldValue() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridline-swift-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = Process()
        // The test bundle and the writer are built into the same folder.
        let built = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        writer.executableURL = built.appendingPathComponent("crashing-writer")
        writer.arguments = [dir.path]
        let out = Pipe()
        writer.standardOutput = out
        try writer.run()
        var said = ""
        while !said.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertEqual(said, "written, not renamed\n", "the writer got to the point of the crash")
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertTrue(left.contains { $0.hasSuffix(".tmp") }, "the crash left the new bytes in a temporary file: \(left)")

        let store = try FileStore(dir: dir)
        XCTAssertEqual(try store.get("u/1/outbox"), Array("the outbox before".utf8))
        XCTAssertEqual(try store.keys(""), ["u/1/outbox"])
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.hasSuffix(".tmp") }, "opening removed it")
    }

    /// A photo answer delivered twice (a picker result after the app was
    /// recreated) is a fault the shell lists, and the phone goes on.
    func testAStaleEffectIdIsACaughtFault() async throws {
        let server = try DemoServer()
        defer { server.close() }
        let phone = try Phone()
        defer { phone.close() }
        try await phone.start()
        try await phone.login(server.url, "grid-worker")
        phone.show(png(width: 16, height: 16, seed: 1))
        phone.send(.open(route: .newReport))
        phone.send(.draft(edit: .takePhoto))
        try await phone.until("the photo on the form") { $0.report?.photos == 1 }
        let taken = phone.requests.last { if case .photo = $0.effect { return true } else { return false } }!.id
        phone.core.resolve(id: taken, bytes: try PhotoResult.photo(bytes: png(width: 16, height: 16, seed: 2), mime: "image/png").bincodeSerialize())
        phone.send(.draft(edit: .description(text: "门口路灯不亮")))
        let v = try await phone.until("the next edit") { $0.report?.description == "门口路灯不亮" }
        XCTAssertEqual(v.report?.photos, 1, "the second answer added nothing")
        XCTAssertEqual(phone.core.faults.map(\.code), ["UnknownEffect"])
        XCTAssertTrue(phone.core.faults[0].detail.contains("\(taken)"), phone.core.faults[0].detail)
    }

    func testAClearedTimerAnswersClearedAndSoDoesTheClear() async throws {
        let timers = Timers()
        let id = TimerId(value: 7)
        async let waiting = timers.handle(.notifyAfter(id: id, duration: Duration(nanos: 3_600_000_000_000)))
        while await timers.waiting == 0 { await Task.yield() }
        let cleared = await timers.handle(.clear(id: id))
        XCTAssertEqual(cleared, .cleared(id: id))
        let first = await waiting
        XCTAssertEqual(first, .cleared(id: id))
        let soon = await timers.handle(.notifyAfter(id: TimerId(value: 8), duration: Duration(nanos: 1_000_000)))
        XCTAssertEqual(soon, .durationElapsed(id: TimerId(value: 8)))
    }
}
