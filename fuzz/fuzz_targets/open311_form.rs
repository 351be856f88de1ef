//! Open311's form paths: a posted request (`POST requests.{fmt}`) and the
//! query of a request search (`GET requests.{fmt}`) parse or are refused
//! with the spec's error, never a panic; so does the resource name.
#![no_main]

use gridline_api::open311::format::Format;
use gridline_api::open311::lang::Lang;
use gridline_api::open311::{requests, submit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(data)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let lang = Lang::parse(pairs.first().map_or("", |(_, v)| v.as_str()));
    let _ = submit::parse(&pairs, lang);
    let _ = requests::Query::parse(&pairs);
    if let Some((_, v)) = pairs.last() {
        let _ = Format::split(v);
    }
});
