import Foundation
import GridlineFFI
import SharedTypes

/// What the core's effects run on, supplied by the app (or a test).
public struct Platform {
    public var http: HttpHandler
    public var store: FileStore
    public var timers: Timers
    public var location: LocationSource
    public var camera: PhotoSource

    public init(http: HttpHandler, store: FileStore, timers: Timers, location: LocationSource, camera: PhotoSource) {
        self.http = http
        self.store = store
        self.timers = timers
        self.location = location
        self.camera = camera
    }
}

/// A call the core refused: `code` is the error's kind (`UnknownEffect`,
/// `BadOutput`, `BadEvent`, `Serialize`, or the type that could not be
/// read), `detail` what happened.
public struct Fault: Equatable {
    public let code: String
    public let detail: String
}

/// The phone's core: the Rust app behind `CoreFfi`, and the loop that runs
/// the effects it asks for.
///
/// Every call into the library is made on one serial queue, in the order
/// events and answers arrived. HTTP, timers, location and the camera run
/// as tasks beside it; storage runs on its own serial queue, one operation
/// at a time in the order the core asked. Each new view model is handed to
/// `onView` (the SwiftUI app publishes it). A shell mistake (an answer to
/// an effect the core no longer waits on) is a `Fault`, never a crash.
public final class Core: @unchecked Sendable {
    private let ffi = CoreFfi()
    private let platform: Platform
    private let calls = DispatchQueue(label: "cn.gridline.core")
    private let storage = DispatchQueue(label: "cn.gridline.storage")
    private let lock = NSLock()
    private var current: ViewModel
    private var faultList: [Fault] = []
    private var tasks: [UUID: Task<Void, Never>] = [:]
    private var closed = false
    private var waiters: [UUID: ViewWaiter] = [:]
    private let trace: (Request) -> Void

    /// Called on the core's queue with every new view model.
    public var onView: ((ViewModel) -> Void)?

    public init(platform: Platform, trace: @escaping (Request) -> Void = { _ in }) {
        self.platform = platform
        self.trace = trace
        // A fresh core's view always reads; a library from other sources
        // than these types is a build mistake worth stopping at.
        current = try! ViewModel.bincodeDeserialize(input: [UInt8](try! ffi.view()))
    }

    /// What the core shows now.
    public var view: ViewModel { lock.withLock { current } }

    /// The shell's mistakes the core refused, oldest first.
    public var faults: [Fault] { lock.withLock { faultList } }

    /// Hands the core an event; its effects run in the background.
    public func send(_ event: Event) {
        calls.async {
            guard let bytes = self.encode(event, "Event") else { return }
            self.run("update") { try self.ffi.update(event: Data(bytes)) }
        }
    }

    /// Answers effect `id` with `bytes` (a bincode result of the effect's
    /// kind). The handlers answer through here; a platform callback may too.
    public func resolve(id: UInt32, bytes: [UInt8]) {
        calls.async {
            self.run("resolve \(id)") { try self.ffi.resolve(id: id, output: Data(bytes)) }
        }
    }

    /// Starts watching for a view model that passes `test` (it is called on
    /// the core's queue with every new view, and now with the current one):
    /// register before sending the event whose effect you wait for, then
    /// `await waiter.value(within:)`.
    public func waiter(_ test: @escaping (ViewModel) -> Bool) -> ViewWaiter {
        let key = UUID()
        let w = ViewWaiter(test) { [weak self] in
            guard let self else { return }
            _ = self.lock.withLock { self.waiters.removeValue(forKey: key) }
        }
        let now: ViewModel = lock.withLock {
            waiters[key] = w
            return current
        }
        w.offer(now)
        return w
    }

    /// Stops the effects under way; the core answers nothing more.
    public func close() {
        let running: [Task<Void, Never>] = lock.withLock {
            closed = true
            return Array(tasks.values)
        }
        running.forEach { $0.cancel() }
        calls.sync {}
    }

    private func run(_ what: String, _ call: () throws -> Data) {
        if lock.withLock({ closed }) { return }
        let out: Data
        do {
            out = try call()
        } catch let e as CoreError {
            fault(code(of: e), "\(what): \(e)")
            return
        } catch {
            fault("CoreError", "\(what): \(error)")
            return
        }
        let requests: [Request]
        do {
            requests = try Requests.bincodeDeserialize(input: [UInt8](out)).value
        } catch {
            fault("Requests", "the core's requests could not be read: \(error)")
            return
        }
        requests.forEach(dispatch)
    }

    private func dispatch(_ request: Request) {
        trace(request)
        let id = request.id
        switch request.effect {
        case .render:
            render()
        case let .keyValue(op):
            storage.async {
                let result = self.platform.store.handle(op)
                self.answer(id, result, "KeyValueResult") { try $0.bincodeSerialize() }
            }
        case let .http(req):
            spawn { let r = await self.platform.http.send(req); self.answer(id, r, "HttpResult") { try $0.bincodeSerialize() } }
        case let .time(t):
            spawn { let r = await self.platform.timers.handle(t); self.answer(id, r, "TimeResponse") { try $0.bincodeSerialize() } }
        case let .location(op):
            spawn { let r = await locate(self.platform.location, op); self.answer(id, r, "LocationResult") { try $0.bincodeSerialize() } }
        case let .photo(op):
            spawn { let r = await self.platform.camera.capture(op); self.answer(id, r, "PhotoResult") { try $0.bincodeSerialize() } }
        }
    }

    private func render() {
        let bytes: Data
        do {
            bytes = try ffi.view()
        } catch {
            fault("Serialize", "view: \(error)")
            return
        }
        do {
            let v = try ViewModel.bincodeDeserialize(input: [UInt8](bytes))
            // Set and listed under one lock: a waiter registered after this
            // saw `v` as the current view, one registered before gets it here.
            let watching: [ViewWaiter] = lock.withLock {
                current = v
                return Array(waiters.values)
            }
            onView?(v)
            watching.forEach { $0.offer(v) }
        } catch {
            fault("ViewModel", "the view model could not be read: \(error)")
        }
    }

    private func answer<T>(_ id: UInt32, _ value: T, _ type: String, _ write: (T) throws -> [UInt8]) {
        do {
            resolve(id: id, bytes: try write(value))
        } catch {
            fault(type, "could not be written: \(error)")
        }
    }

    private func spawn(_ work: @escaping () async -> Void) {
        let key = UUID()
        lock.withLock {
            if closed { return }
            // Inserted under the lock, so the task's own removal (which
            // takes the lock) always comes after.
            tasks[key] = Task {
                await work()
                _ = self.lock.withLock { self.tasks.removeValue(forKey: key) }
            }
        }
    }

    private func encode(_ event: Event, _ type: String) -> [UInt8]? {
        do {
            return try event.bincodeSerialize()
        } catch {
            fault(type, "could not be written: \(error)")
            return nil
        }
    }

    private func fault(_ code: String, _ detail: String) {
        lock.withLock { faultList.append(Fault(code: code, detail: detail)) }
    }

    private func code(of e: CoreError) -> String {
        switch e {
        case .BadEvent: return "BadEvent"
        case .UnknownEffect: return "UnknownEffect"
        case .BadOutput: return "BadOutput"
        case .Serialize: return "Serialize"
        }
    }
}
