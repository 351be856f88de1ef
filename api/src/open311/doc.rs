//! One response tree, written as the spec's XML or as its JSON (the Spark
//! convention: a container of repeated children is a JSON array, the root
//! element's name is dropped, an empty element is `null`). Each endpoint
//! builds its answer once, so both formats carry the same data.

use serde_json::{Map, Value};
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq)]
pub enum Doc {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// An empty element; JSON `null`.
    Null,
    /// Named fields, in the spec's order.
    Record(Vec<(&'static str, Doc)>),
    /// A container of children that are each called `item` in XML.
    List {
        item: &'static str,
        items: Vec<Doc>,
    },
}

impl Doc {
    pub fn text(s: impl Into<String>) -> Doc {
        Doc::Text(s.into())
    }

    /// `Text`, or `Null` when absent.
    pub fn opt(s: Option<impl Into<String>>) -> Doc {
        s.map_or(Doc::Null, |s| Doc::Text(s.into()))
    }

    pub fn list(item: &'static str, items: Vec<Doc>) -> Doc {
        Doc::List { item, items }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Doc::Text(s) => Value::String(s.clone()),
            Doc::Int(n) => Value::from(*n),
            Doc::Float(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Doc::Bool(b) => Value::Bool(*b),
            Doc::Null => Value::Null,
            Doc::Record(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.to_json()))
                    .collect::<Map<_, _>>(),
            ),
            Doc::List { items, .. } => Value::Array(items.iter().map(Doc::to_json).collect()),
        }
    }

    /// The document with `root` as its outer element, declaration first.
    pub fn to_xml(&self, root: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        self.element(root, &mut out);
        out.push('\n');
        out
    }

    fn element(&self, name: &str, out: &mut String) {
        match self {
            Doc::Null => {
                let _ = write!(out, "<{name}/>");
            }
            Doc::Record(fields) => {
                let _ = write!(out, "<{name}>");
                for (k, v) in fields {
                    v.element(k, out);
                }
                let _ = write!(out, "</{name}>");
            }
            Doc::List { item, items } => {
                let _ = write!(out, "<{name}>");
                for v in items {
                    v.element(item, out);
                }
                let _ = write!(out, "</{name}>");
            }
            Doc::Text(s) => {
                let _ = write!(out, "<{name}>");
                escape(s, out);
                let _ = write!(out, "</{name}>");
            }
            Doc::Int(n) => {
                let _ = write!(out, "<{name}>{n}</{name}>");
            }
            Doc::Float(x) => {
                let _ = write!(out, "<{name}>{x}</{name}>");
            }
            Doc::Bool(b) => {
                let _ = write!(out, "<{name}>{b}</{name}>");
            }
        }
    }
}

/// Text as XML character data. Characters XML 1.0 cannot carry at all
/// (most C0 controls) are left out rather than producing a document no
/// parser reads.
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Doc {
        Doc::list(
            "request",
            vec![Doc::Record(vec![
                ("service_request_id", Doc::text("01a2")),
                ("status", Doc::text("open")),
                ("description", Doc::text("墙 <裂> & \"倒\"\u{1}")),
                ("lat", Doc::Float(38.8)),
                ("media_url", Doc::Null),
                ("flag", Doc::Bool(true)),
            ])],
        )
    }

    #[test]
    fn json_drops_the_element_names_and_keeps_the_values() {
        let v = sample().to_json();
        assert_eq!(v[0]["service_request_id"], "01a2");
        assert_eq!(v[0]["lat"], 38.8);
        assert!(v[0]["media_url"].is_null());
        assert_eq!(v[0]["flag"], true);
    }

    #[test]
    fn xml_nests_the_items_in_their_container_and_escapes_text() {
        let x = sample().to_xml("service_requests");
        assert!(x.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<service_requests><request>"
        ));
        assert!(
            x.contains("<description>墙 &lt;裂&gt; &amp; &quot;倒&quot;</description>"),
            "{x}"
        );
        assert!(x.contains("<media_url/>"));
        assert!(x.contains("<lat>38.8</lat><media_url/><flag>true</flag>"));
    }

    #[test]
    fn an_empty_list_is_an_empty_container() {
        assert_eq!(
            Doc::list("request", vec![]).to_xml("service_requests"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<service_requests></service_requests>\n"
        );
        assert_eq!(
            Doc::list("request", vec![]).to_json(),
            serde_json::json!([])
        );
    }
}
