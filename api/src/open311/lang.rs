//! The language of names and labels, from `Accept-Language`: English when
//! the client prefers it to Chinese, Chinese otherwise (the jurisdictions
//! are Chinese counties).

use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn of(headers: &HeaderMap) -> Lang {
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map_or(Lang::Zh, Lang::parse)
    }

    /// The best-weighted of `zh*` and `en*` in an `Accept-Language` value.
    pub fn parse(value: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in value.split(',') {
            let mut bits = part.split(';');
            let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = bits
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = if tag == "zh" || tag.starts_with("zh-") {
                Lang::Zh
            } else if tag == "en" || tag.starts_with("en-") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::Zh, |(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preferred_of_chinese_and_english_wins() {
        assert_eq!(Lang::parse("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::parse("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh);
        assert_eq!(Lang::parse("fr, en;q=0.5, zh;q=0.4"), Lang::En);
        assert_eq!(Lang::parse("fr"), Lang::Zh);
        assert_eq!(Lang::parse("zh-Hans;q=0.2, en;q=0.9"), Lang::En);
    }
}
