import Foundation
import SharedTypes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The core's KeyValue effect on files: one file per key in a folder.
///
/// A write goes to a temporary file, is flushed to the disk (`fsync`), and
/// is then renamed over the key's file (`rename(2)` replaces atomically),
/// so a reader, or the app after a crash, finds the old value or the new
/// one, never a torn one. A crash between the write and the rename leaves
/// a temporary file, removed when the store next opens and never read as a
/// key. File names are the keys with every byte outside `[A-Za-z0-9_-]`
/// written as `%XX`; temporary files end in `.tmp`, which no key encodes to.
///
/// Not thread-safe by itself: the `Core` runs its operations one at a time.
public final class FileStore: @unchecked Sendable {
    private let dir: URL
    private let beforeRename: () -> Void

    /// `beforeRename` runs after a write is on disk and before its rename
    /// (the crash test stops there).
    public init(dir: URL, beforeRename: @escaping () -> Void = {}) throws {
        self.dir = dir
        self.beforeRename = beforeRename
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(FileStore.tmp) {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
    }

    public func handle(_ op: KeyValueOperation) -> KeyValueResult {
        do {
            switch op {
            case let .get(key):
                return .ok(response: .get(value: value(try get(key))))
            case let .set(key, bytes):
                return .ok(response: .set(previous: value(try set(key, bytes))))
            case let .delete(key):
                return .ok(response: .delete(previous: value(try delete(key))))
            case let .exists(key):
                return .ok(response: .exists(isPresent: FileManager.default.fileExists(atPath: file(key).path)))
            case let .listKeys(prefix, _):
                return .ok(response: .listKeys(keys: try keys(prefix), nextCursor: 0))
            }
        } catch {
            return .err(error: .io(message: "\(error)"))
        }
    }

    public func get(_ key: String) throws -> [UInt8]? {
        let f = file(key)
        guard FileManager.default.fileExists(atPath: f.path) else { return nil }
        return [UInt8](try Data(contentsOf: f))
    }

    /// Stores `bytes` under `key`; returns what was there.
    @discardableResult
    public func set(_ key: String, _ bytes: [UInt8]) throws -> [UInt8]? {
        let target = file(key)
        let previous = try get(key)
        let temp = dir.appendingPathComponent("\(target.lastPathComponent).\(UUID().uuidString)\(FileStore.tmp)")
        defer { unlink(temp.path) }
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw StoreError.io("cannot write \(key): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                close(fd)
                throw StoreError.io("cannot write \(key): \(String(cString: strerror(errno)))")
            }
            written += n
        }
        if fsync(fd) != 0 {
            close(fd)
            throw StoreError.io("cannot flush \(key): \(String(cString: strerror(errno)))")
        }
        close(fd)
        beforeRename()
        guard rename(temp.path, target.path) == 0 else {
            throw StoreError.io("cannot replace \(key): \(String(cString: strerror(errno)))")
        }
        syncDir()
        return previous
    }

    /// Removes `key`; returns what was there.
    @discardableResult
    public func delete(_ key: String) throws -> [UInt8]? {
        guard let previous = try get(key) else { return nil }
        try FileManager.default.removeItem(at: file(key))
        syncDir()
        return previous
    }

    /// Every stored key that starts with `prefix`, sorted.
    public func keys(_ prefix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { !$0.hasSuffix(FileStore.tmp) }
            .compactMap(FileStore.decode)
            .filter { $0.hasPrefix(prefix) }
            .sorted()
    }

    private func file(_ key: String) -> URL { dir.appendingPathComponent(FileStore.encode(key)) }

    /// Makes the rename itself durable.
    private func syncDir() {
        let fd = open(dir.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    private func value(_ bytes: [UInt8]?) -> Value { bytes.map { .bytes($0) } ?? .none }

    static let tmp = ".tmp"

    static func encode(_ key: String) -> String {
        if key.isEmpty { return "%" }
        var out = ""
        for b in Array(key.utf8) {
            switch b {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
                 UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                out.append(Character(UnicodeScalar(b)))
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    /// The key a file name stands for; nil for a name no key encodes to.
    static func decode(_ name: String) -> String? {
        if name == "%" { return "" }
        var bytes: [UInt8] = []
        var chars = Array(name.utf8)[...]
        while let c = chars.popFirst() {
            if c == UInt8(ascii: "%") {
                guard chars.count >= 2, let b = UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(b)
                chars = chars.dropFirst(2)
            } else {
                guard c < 0x80 else { return nil }
                bytes.append(c)
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case io(String)

    public var description: String {
        switch self {
        case let .io(s): return s
        }
    }
}
