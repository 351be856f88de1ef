//! facet's Swift generator writes an enum variant named like a Swift
//! keyword as it is (`case case(CaseDetail)`, `case return(reason: String)`),
//! which does not compile. Swift accepts a keyword after a dot (`.case`,
//! `.return`), so only the declarations need backticks; this escapes them.

/// Words Swift reserves in declarations (a variant's name in lower camel case).
const KEYWORDS: &[&str] = &[
    "associatedtype",
    "break",
    "case",
    "catch",
    "class",
    "continue",
    "default",
    "defer",
    "deinit",
    "do",
    "else",
    "enum",
    "extension",
    "fallthrough",
    "false",
    "fileprivate",
    "for",
    "func",
    "guard",
    "if",
    "import",
    "in",
    "init",
    "inout",
    "internal",
    "is",
    "let",
    "nil",
    "operator",
    "private",
    "protocol",
    "public",
    "repeat",
    "rethrows",
    "return",
    "self",
    "static",
    "struct",
    "subscript",
    "super",
    "switch",
    "throw",
    "throws",
    "true",
    "try",
    "typealias",
    "var",
    "where",
    "while",
];

/// Escapes every enum case declaration (`    case NAME` or `    case NAME(…)`,
/// a whole line with no trailing colon) whose name is a keyword.
#[must_use]
pub fn escape(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 64);
    for line in source.split_inclusive('\n') {
        out.push_str(&escape_line(line));
    }
    out
}

fn escape_line(line: &str) -> String {
    let body = line.trim_end_matches(['\n', '\r']);
    let Some(rest) = body.strip_prefix("    case ") else {
        return line.to_owned();
    };
    if body.ends_with(':') {
        return line.to_owned(); // a switch's case, not a declaration
    }
    let name_end = rest.find('(').unwrap_or(rest.len());
    let name = &rest[..name_end];
    if !KEYWORDS.contains(&name) {
        return line.to_owned();
    }
    format!(
        "    case `{name}`{}{}",
        &rest[name_end..],
        &line[body.len()..]
    )
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn keyword_declarations_get_backticks_and_nothing_else_changes() {
        let src = "indirect public enum Screen {\n    case loading\n    case case(CaseDetail)\n    case return(reason: String)\n    case caseload(Int)\n\n    func f() {\n        switch self {\n        case .case(let x):\n    case let .return(y):\n        }\n    }\n}\n";
        let out = escape(src);
        assert!(out.contains("    case `case`(CaseDetail)\n"), "{out}");
        assert!(out.contains("    case `return`(reason: String)\n"), "{out}");
        assert!(out.contains("    case loading\n    "));
        assert!(out.contains("    case caseload(Int)\n"));
        assert!(out.contains("        case .case(let x):\n"));
        assert!(
            out.contains("    case let .return(y):\n"),
            "switch cases are left alone"
        );
        assert_eq!(escape(&out), out, "escaping twice changes nothing");
    }
}
