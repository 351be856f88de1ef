import Foundation
import GridlineShell
import SharedTypes
import XCTest

/// The iOS shell's platform layer end to end, on Linux: the real Rust core
/// through the uniffi Swift bindings, URLSession, files and timers, against
/// `gridline demo`. A grid worker reports a safety hazard with a photo
/// while the server is down; it comes back and the queue drains on the
/// core's own retry timer; the case lands in the worker's grid and goes to
/// the village; the cadre, on a second core, signs for, starts and
/// resolves it; the worker's phone sees it resolved.
final class ScenarioTests: XCTestCase {
    static let workerGrid = "620725101201001"

    func testAReportMadeWhileTheServerIsDownReachesTheCadreWhoResolvesIt() async throws {
        let server = try DemoServer()
        defer { server.close() }
        let workerToken = try await server.token("grid-worker")
        let (status, grids) = try await server.call("/v1/grids", token: workerToken)
        XCTAssertEqual(status, 200)
        let features = (grids as! [String: Any])["features"] as! [[String: Any]]
        let mine = features.filter { ($0["properties"] as! [String: Any])["code"] as? String == Self.workerGrid }
        XCTAssertEqual(mine.count, 1, "the worker's grid is listed")
        // A MultiPolygon: its first polygon's rings.
        let rings = ((mine[0]["geometry"] as! [String: Any])["coordinates"] as! [[[[Double]]]])[0]
        let (lon, lat) = inside(rings)

        let worker = try Phone()
        defer { worker.close() }
        try await worker.start()
        try await worker.login(server.url, "grid-worker")

        server.kill()
        let offline = await refresh(worker.core, assignments: try Assignments(dir: worker.dir.appendingPathComponent("announced")), onScreen: false)
        guard case let .synced(none, problem?) = offline else { return XCTFail("a refresh with the server down: \(offline)") }
        XCTAssertEqual(none, [])
        XCTAssertFalse(problem.isEmpty)
        worker.stand(at: Fix(lat: lat, lon: lon, accuracyM: 5, crs: "wgs84"))
        worker.show(png(width: 96, height: 64, seed: 8))
        worker.send(.open(route: .newReport))
        for edit: DraftEdit in [.category(code: "safety_hazard"), .description(text: "村道旁土墙开裂，有倒塌危险"), .useMyLocation, .takePhoto] {
            worker.send(.draft(edit: edit))
        }
        try await worker.until("the photo and the position on the form") { v in
            v.report.map { $0.photos == 1 && $0.location != nil } ?? false
        }
        worker.send(.submitReport)
        let waiting = try await worker.until("the failed send to be said") { v in
            v.caseDetail?.item.waiting == true && v.sync.problem != nil
        }
        let id = waiting.caseDetail!.item.id
        XCTAssertEqual(waiting.sync.waiting, 1)

        try server.restart()
        try await worker.until("the queue to drain, the problem to clear and the case to be assigned") { v in
            v.sync.waiting == 0 && v.sync.problem == nil && v.caseDetail?.item.status == "assigned"
        }
        let (s, body) = try await server.call("/v1/cases/\(id)", token: workerToken)
        XCTAssertEqual(s, 200)
        let c = body as! [String: Any]
        XCTAssertEqual((c["grid"] as? [String: Any])?["code"] as? String, Self.workerGrid, "placed in the grid it was made in")
        XCTAssertEqual(c["category"] as? String, "safety_hazard")
        XCTAssertEqual(c["channel"] as? String, "grid_patrol")
        XCTAssertEqual((c["location"] as! [String: Any])["lat"] as! Double, lat, accuracy: 1e-6)
        let photos = c["photos"] as! [[String: Any]]
        XCTAssertEqual(photos.count, 1)
        XCTAssertEqual(photos.first?["available"] as? Bool, true, "the photo's bytes arrived")
        XCTAssertNotNil(c["assignee"] as? [String: Any], "someone at the village has it")

        worker.send(.back)
        let workerHome = try await worker.until("the worker's list") { v in
            v.home?.cases.contains { $0.id == id && $0.status == "assigned" } ?? false
        }
        let workerNews = try Assignments(dir: worker.dir.appendingPathComponent("announced"))
        XCTAssertEqual(try workerNews.fresh(workerHome).map(\.id), [], "the reporting grid worker is not told to sign for it")

        let cadre = try Phone()
        defer { cadre.close() }
        try await cadre.start()
        try await cadre.login(server.url, "cadre")
        // The app's background refresh announces this case, once.
        let news = try Assignments(dir: cadre.dir.appendingPathComponent("announced"))
        let first = await refresh(cadre.core, assignments: news, onScreen: false)
        guard case let .synced(fresh, nil) = first else { return XCTFail("the cadre's refresh: \(first)") }
        XCTAssertTrue(fresh.contains { $0.id == id }, "the new assignment is announced (beside the demo's own): \(fresh.map(\.id))")
        let second = await refresh(cadre.core, assignments: news, onScreen: false)
        XCTAssertEqual(second, .synced(fresh: [], problem: nil), "and only once")
        let again = try Assignments(dir: cadre.dir.appendingPathComponent("announced"))
        XCTAssertTrue(try again.fresh(cadre.view).isEmpty, "not again after a restart")
        cadre.send(.open(route: .case(id: id)))
        var detail = try await cadre.until("the case to open") { $0.caseDetail?.item.id == id }.caseDetail!
        XCTAssertEqual(detail.photos.count, 1, "the photo shows on the cadre's phone")
        for (action, next) in [("sign_for", "signed_for"), ("start", "in_progress"), ("resolve", "resolved")] {
            XCTAssertTrue(detail.actions.contains { $0.action == action }, "\(action) offered: \(detail.actions)")
            let input: ActionInput
            switch action {
            case "sign_for": input = .signFor
            case "start": input = .start
            default: input = .resolve(outcome: detail.outcomes[0].code, summary: "已加固土墙并设置警示")
            }
            cadre.send(.act(caseId: id, input: input))
            detail = try await cadre.until("\(action) to be sent") { v in
                guard let d = v.caseDetail else { return false }
                return d.item.status == next && !d.item.waiting && v.sync.waiting == 0
            }.caseDetail!
            let (_, now) = try await server.call("/v1/cases/\(id)", token: try await server.token("cadre"))
            XCTAssertEqual((now as! [String: Any])["status"] as? String, next, "the server agrees")
        }
        XCTAssertEqual(cadre.core.faults, [])

        worker.send(.open(route: .case(id: id)))
        worker.send(.syncNow)
        try await worker.until("the worker to see it resolved") { $0.caseDetail?.item.status == "resolved" }
        XCTAssertEqual(worker.core.faults, [])
    }
}

/// A point inside the polygon of `rings` (outer first): the outer ring's
/// vertex average if inside, else the middle of the widest inside stretch
/// of the horizontal line through it.
func inside(_ rings: [[[Double]]]) -> (Double, Double) {
    let outer = rings[0].dropLast()
    let lon = outer.map { $0[0] }.reduce(0, +) / Double(outer.count)
    let lat = outer.map { $0[1] }.reduce(0, +) / Double(outer.count)
    var xs: [Double] = []
    for ring in rings {
        for (a, b) in zip(ring, ring.dropFirst()) where (a[1] > lat) != (b[1] > lat) {
            xs.append(a[0] + (lat - a[1]) / (b[1] - a[1]) * (b[0] - a[0]))
        }
    }
    xs.sort()
    let spans = stride(from: 0, to: xs.count - 1, by: 2).map { (xs[$0], xs[$0 + 1]) }
    if spans.contains(where: { $0.0 <= lon && lon <= $0.1 }) { return (lon, lat) }
    let widest = spans.max { ($0.1 - $0.0) < ($1.1 - $1.0) }!
    return ((widest.0 + widest.1) / 2, lat)
}
