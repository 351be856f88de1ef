//! The response format, from the path's extension (`services.xml`,
//! `requests/01a2….json`), and the reply written in it.

use super::doc::Doc;
use super::error::Open311Error;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// Splits `name.ext` into the name and the format.
    pub fn split(file: &str) -> Result<(&str, Format), Open311Error> {
        let (stem, ext) = file.rsplit_once('.').ok_or_else(|| {
            Open311Error::not_found(format!("'{file}' names no format: add .json or .xml"))
        })?;
        let format = match ext {
            "json" => Format::Json,
            "xml" => Format::Xml,
            other => {
                return Err(Open311Error::not_found(format!(
                    "unknown format '.{other}': use .json or .xml"
                )));
            }
        };
        Ok((stem, format))
    }

    pub const fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

/// A document in the asked-for format, under the spec's root element.
pub struct Reply {
    pub format: Format,
    pub status: StatusCode,
    pub root: &'static str,
    pub doc: Doc,
}

impl Reply {
    pub fn ok(format: Format, root: &'static str, doc: Doc) -> Reply {
        Reply {
            format,
            status: StatusCode::OK,
            root,
            doc,
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let body = match self.format {
            Format::Json => self.doc.to_json().to_string(),
            Format::Xml => self.doc.to_xml(self.root),
        };
        let mut r = (self.status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.format.content_type()),
        );
        r
    }
}
