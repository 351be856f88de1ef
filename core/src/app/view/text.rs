//! Words on the screens, in Simplified Chinese and English, kept side by
//! side at the place they are used.

use crate::app::event::Lang;
use crate::case::{ActionKind, Outcome, Status};
use crate::time::{Date, Instant};

/// The Chinese or the English.
#[must_use]
pub fn tr(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

fn words(code: &str) -> String {
    let s = code.replace('_', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[must_use]
pub fn status(lang: Lang, s: Status) -> String {
    tr(lang, s.name_zh(), &words(s.as_str()))
}

#[must_use]
pub fn action(lang: Lang, a: ActionKind) -> String {
    tr(lang, a.name_zh(), &words(a.as_str()))
}

/// A department by its unit's own (Chinese) name; in English, what kind of
/// office it is first, so a reader who cannot read the name still knows.
#[must_use]
pub fn department(lang: Lang, kind: crate::department::DepartmentKind, name: &str) -> String {
    match lang {
        Lang::Zh => name.to_owned(),
        Lang::En => format!("{} ({name})", words(kind.as_str())),
    }
}

#[must_use]
pub fn outcome(lang: Lang, o: Outcome) -> String {
    let zh = match o {
        Outcome::Mediated => "调解成功",
        Outcome::AgreementSigned => "签订调解协议",
        Outcome::JudiciallyConfirmed => "司法确认",
        Outcome::ReferredToArbitration => "引导仲裁",
        Outcome::ReferredToLitigation => "引导诉讼",
        Outcome::Handled => "已处置",
        Outcome::Explained => "解释说明",
        Outcome::Withdrawn => "撤回",
    };
    let code = serde_json::to_value(o)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    tr(lang, zh, &words(&code))
}

#[must_use]
pub fn category(lang: Lang, code: &str) -> String {
    crate::category::by_code(code)
        .map_or_else(|| code.to_owned(), |c| tr(lang, c.name_zh, c.name_en))
}

/// `14:02` today, `11-20 14:02` on another day (China time).
#[must_use]
pub fn clock(at_ms: i64, now_ms: Option<i64>) -> String {
    let s = Instant(at_ms).to_string();
    let hm = s.get(11..16).unwrap_or("");
    let same_day = now_ms.is_some_and(|n| Date::of_instant(n) == Date::of_instant(at_ms));
    if same_day {
        hm.to_owned()
    } else {
        format!("{} {hm}", s.get(5..10).unwrap_or(""))
    }
}
