import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `gridline demo` (the binary in GRIDLINE_BIN) serving Shandan county from
/// a scratch folder on a loopback port; killed and restarted on the same
/// port and data to make the server unreachable and bring it back.
final class DemoServer {
    static let password = "swift-test-password"
    let dir: URL
    private var process: Process?
    private(set) var url = ""

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridline-swift-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try start(listen: "127.0.0.1:0")
    }

    private func start(listen: String) throws {
        guard let bin = ProcessInfo.processInfo.environment["GRIDLINE_BIN"] else {
            throw Failure("set GRIDLINE_BIN to the gridline binary")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["--data-dir", dir.path, "demo", "--listen", listen, "--demo-password", DemoServer.password]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        var seen = ""
        let reader = pipe.fileHandleForReading
        while !seen.contains("serving on http://") || !seen.hasSuffix("\n") {
            let chunk = reader.availableData
            if chunk.isEmpty { throw Failure("the demo server stopped:\n\(seen)") }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        let line = seen.split(separator: "\n").first { $0.contains("serving on http://") }!
        let at = line.range(of: "serving on ")!.upperBound
        url = String(line[at...].split(separator: " ").first!)
        // Keep reading so the server never blocks on a full pipe.
        Thread.detachNewThread { while !reader.availableData.isEmpty {} }
        process = p
    }

    /// Kills the server at once (SIGKILL).
    func kill() {
        guard let p = process else { return }
        Foundation.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    /// Starts it again on the same address and data.
    func restart() throws {
        try start(listen: String(url.dropFirst("http://".count)))
    }

    func close() {
        kill()
        try? FileManager.default.removeItem(at: dir)
    }

    /// Calls the API; returns the status and the JSON answer.
    func call(_ path: String, token: String? = nil, body: [String: Any]? = nil) async throws -> (Int, Any?) {
        var r = URLRequest(url: URL(string: url + path)!)
        r.setValue("application/json", forHTTPHeaderField: "accept")
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "authorization") }
        if let body {
            r.httpMethod = "POST"
            r.httpBody = try JSONSerialization.data(withJSONObject: body)
            r.setValue("application/json", forHTTPHeaderField: "content-type")
        }
        let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { cont in
            URLSession.shared.dataTask(with: r) { d, resp, e in
                if let e { cont.resume(throwing: e) } else { cont.resume(returning: (d ?? Data(), resp!)) }
            }.resume()
        }
        let status = (response as! HTTPURLResponse).statusCode
        return (status, data.isEmpty ? nil : try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    func token(_ user: String) async throws -> String {
        let (status, body) = try await call("/v1/auth/login", body: ["username": user, "password": DemoServer.password])
        guard status == 200, let token = (body as? [String: Any])?["access_token"] as? String else {
            throw Failure("login as \(user): \(status) \(String(describing: body))")
        }
        return token
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}
