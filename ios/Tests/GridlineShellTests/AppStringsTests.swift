import Foundation
import XCTest

/// The SwiftUI app cannot be compiled on Linux, but its words can be
/// checked: every key its screens look up has a Chinese and an English
/// string (a missing one shows the raw key to a cadre), and both carry
/// the same format placeholders (a mismatch crashes `String(format:)`).
final class AppStringsTests: XCTestCase {
    private let app = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../App").standardized

    private func strings(_ lang: String) throws -> [String: String] {
        let text = try String(contentsOf: app.appendingPathComponent("\(lang).lproj/Localizable.strings"), encoding: .utf8)
        let line = try NSRegularExpression(pattern: #"^"([^"]+)" = "((?:[^"\\]|\\.)*)";$"#, options: .anchorsMatchLines)
        var out: [String: String] = [:]
        for m in line.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            out[String(text[Range(m.range(at: 1), in: text)!])] = String(text[Range(m.range(at: 2), in: text)!])
        }
        return out
    }

    /// Keys looked up by the screens: the first literal of a SwiftUI
    /// control that takes a `LocalizedStringKey`, `NSLocalizedString`, and
    /// every literal on a line that builds a `LocalizedStringKey`.
    private func keysUsed() throws -> Set<String> {
        let files = try FileManager.default.contentsOfDirectory(atPath: app.path).filter { $0.hasSuffix(".swift") }
        XCTAssertGreaterThan(files.count, 5, "the app's sources are found at \(app.path)")
        let control = try NSRegularExpression(pattern: #"\b(?:Text|Button|Label|TextField|SecureField|Section|Picker|Toggle|NSLocalizedString)\("([a-z_]+)""#)
        let labelArg = try NSRegularExpression(pattern: #"label: "([a-z_]+)""#)
        let literal = try NSRegularExpression(pattern: #""([a-z_]+)""#)
        var keys: Set<String> = []
        for f in files {
            let text = try String(contentsOf: app.appendingPathComponent(f), encoding: .utf8)
            for l in text.split(separator: "\n").map(String.init) {
                let all = NSRange(l.startIndex..., in: l)
                let found = l.contains("LocalizedStringKey") ? literal.matches(in: l, range: all) : control.matches(in: l, range: all) + labelArg.matches(in: l, range: all)
                for m in found { keys.insert(String(l[Range(m.range(at: 1), in: l)!])) }
            }
        }
        return keys
    }

    func testEveryKeyTheAppUsesHasBothLanguages() throws {
        let used = try keysUsed()
        XCTAssertTrue(used.isSuperset(of: ["sync_now", "log_in", "new_assignment", "visits_due", "photo_uploading"]), "the scan finds the keys: \(used.sorted())")
        for lang in ["zh-Hans", "en"] {
            let table = try strings(lang)
            XCTAssertEqual(used.subtracting(table.keys).sorted(), [], "keys without a \(lang) string")
        }
    }

    func testBothLanguagesHaveTheSameKeysAndPlaceholders() throws {
        let zh = try strings("zh-Hans")
        let en = try strings("en")
        XCTAssertEqual(Set(zh.keys), Set(en.keys))
        let placeholder = try NSRegularExpression(pattern: #"%(?:\d+\$)?[@dDuUxXfs]"#)
        func marks(_ s: String) -> [String] {
            placeholder.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range, in: s)!]) }
        }
        for (k, v) in en {
            XCTAssertEqual(marks(v), marks(zh[k] ?? ""), "placeholders of \(k)")
        }
    }
}
