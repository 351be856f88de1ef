//! `POST requests.{fmt}`: a form (`application/x-www-form-urlencoded`)
//! parsed into what a case needs, every field checked and named when
//! wrong. Gridline places a request in its grid by coordinates, so `lat`
//! and `long` (WGS84) are required; `address_string` is kept beside them.
//! Attributes come as `attribute[CODE]=value`; an attribute a service does
//! not define is refused rather than dropped.

use super::error::Open311Error;
use super::lang::Lang;
use super::services::{self, service_name};
use crate::store::intake::Contact;
use gridline_core::case::Remark;
use gridline_core::case::text::{MAX_REMARK_CHARS, RemarkError};
use gridline_core::category::{self, Category};
use gridline_core::coord::{Crs, GeoPoint};

/// What a submission asks for, checked.
#[derive(Debug, Clone)]
pub struct Submission {
    pub category: &'static Category,
    pub point: GeoPoint,
    pub description: Remark,
    pub people_affected: Option<u32>,
    pub amount_yuan: Option<u64>,
    pub contact: Contact,
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    super::param(pairs, name)
}

fn coordinate(pairs: &[(String, String)], name: &str, max: f64) -> Result<f64, Open311Error> {
    let raw = value(pairs, name).unwrap_or_default();
    let v: f64 = raw
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| Open311Error::bad(format!("{name} '{raw}' is not a number")))?;
    if v.abs() > max {
        return Err(Open311Error::bad(format!(
            "{name} {v} is out of range: WGS84 {name} is from -{max} to {max}"
        )));
    }
    Ok(v)
}

fn location(pairs: &[(String, String)]) -> Result<GeoPoint, Open311Error> {
    match (value(pairs, "lat"), value(pairs, "long")) {
        (Some(_), Some(_)) => {}
        (Some(_), None) => return Err(Open311Error::bad("long is required with lat")),
        (None, Some(_)) => return Err(Open311Error::bad("lat is required with long")),
        (None, None) => {
            let by_address =
                value(pairs, "address_string").is_some() || value(pairs, "address_id").is_some();
            return Err(Open311Error::bad(if by_address {
                "lat and long are required: Gridline places each request in its grid by \
                 coordinates, and address_string alone cannot be placed"
            } else {
                "a location is required: lat and long (WGS84)"
            }));
        }
    }
    let lat = coordinate(pairs, "lat", 90.0)?;
    let lon = coordinate(pairs, "long", 180.0)?;
    GeoPoint::parse(lat, lon, Crs::Wgs84).map_err(|e| Open311Error::bad(e.to_string()))
}

/// An optional single-line field, at most `max` characters.
fn line(
    pairs: &[(String, String)],
    name: &str,
    max: usize,
) -> Result<Option<String>, Open311Error> {
    let Some(v) = value(pairs, name) else {
        return Ok(None);
    };
    let n = v.chars().count();
    if n > max {
        return Err(Open311Error::bad(format!(
            "{name} is {n} characters; at most {max} are accepted"
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(Open311Error::bad(format!("{name} must be on one line")));
    }
    Ok(Some(v.to_owned()))
}

fn contact(pairs: &[(String, String)]) -> Result<Contact, Open311Error> {
    let email = line(pairs, "email", 254)?;
    if let Some(e) = &email
        && !e
            .split_once('@')
            .is_some_and(|(a, d)| !a.is_empty() && d.contains('.'))
    {
        return Err(Open311Error::bad(format!(
            "email '{e}' is not an email address"
        )));
    }
    let phone = line(pairs, "phone", 32)?;
    if let Some(p) = &phone
        && !p
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
    {
        return Err(Open311Error::bad(format!(
            "phone '{p}' is not a phone number"
        )));
    }
    let media_url = line(pairs, "media_url", 2000)?;
    if media_url.as_deref().is_some_and(|u| {
        !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(' ')
    }) {
        return Err(Open311Error::bad(
            "media_url must be an http or https URL with no spaces",
        ));
    }
    Ok(Contact {
        first_name: line(pairs, "first_name", 100)?,
        last_name: line(pairs, "last_name", 100)?,
        email,
        phone,
        device_id: line(pairs, "device_id", 100)?,
        account_id: line(pairs, "account_id", 100)?,
        address: line(pairs, "address_string", 500)?
            .or(line(pairs, "address_id", 100)?.map(|id| format!("address_id {id}"))),
        media_url,
    })
}

/// `attribute[CODE]` (or `attribute[CODE][]`) pairs as whole numbers.
fn attributes(
    pairs: &[(String, String)],
    c: &Category,
) -> Result<(Option<u32>, Option<u64>), Open311Error> {
    let defined = services::attributes(c);
    let (mut people, mut amount) = (None, None);
    for (k, v) in pairs {
        let Some(code) = k
            .strip_prefix("attribute[")
            .and_then(|r| r.strip_suffix("[]").unwrap_or(r).strip_suffix(']'))
        else {
            continue;
        };
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        if !defined.iter().any(|a| a.code == code) {
            return Err(Open311Error::bad(format!(
                "attribute[{code}]: service {} has no such attribute; its definition lists {}",
                c.code,
                defined
                    .iter()
                    .map(|a| a.code)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let whole = || {
            Open311Error::bad(format!(
                "attribute[{code}] '{v}' is not a whole number of at least 0"
            ))
        };
        if code == services::PEOPLE_AFFECTED.code {
            people = Some(v.parse::<u32>().map_err(|_| whole())?);
        } else {
            amount = Some(v.parse::<u64>().map_err(|_| whole())?);
        }
    }
    Ok((people, amount))
}

/// The form's pairs as a submission; the first thing wrong, named.
///
/// # Errors
/// 404 for an unknown `service_code`, 400 for anything else wrong.
pub fn parse(pairs: &[(String, String)], lang: Lang) -> Result<Submission, Open311Error> {
    let code = value(pairs, "service_code")
        .ok_or_else(|| Open311Error::bad("service_code is required"))?;
    let category = category::by_code(code).ok_or_else(|| {
        Open311Error::not_found(format!(
            "unknown service_code '{code}'; services.json lists them"
        ))
    })?;
    let point = location(pairs)?;
    let description = match value(pairs, "description") {
        None => Remark::parse(service_name(category, lang)),
        Some(d) => Remark::parse(d),
    }
    .map_err(|e| match e {
        RemarkError::TooLong(n) => Open311Error::bad(format!(
            "description is {n} characters; at most {MAX_REMARK_CHARS} are accepted"
        )),
        other => Open311Error::bad(format!("description: {other}")),
    })?;
    let (people_affected, amount_yuan) = attributes(pairs, category)?;
    Ok(Submission {
        category,
        point,
        description,
        people_affected,
        amount_yuan,
        contact: contact(pairs)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(s: &str) -> Vec<(String, String)> {
        form_urlencoded::parse(s.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    fn error(s: &str) -> String {
        parse(&form(s), Lang::En).unwrap_err().description
    }

    #[test]
    fn a_full_form_is_read_with_its_attributes_and_contact() {
        let s = parse(
            &form(
                "service_code=wage_arrears&lat=39.1&long=100.4&description=Owed+3+months\
                 &attribute%5Bpeople_affected%5D=12&attribute[amount_yuan][]=36000\
                 &first_name=Li&phone=%2B86+139&media_url=https%3A%2F%2Fe.cn%2Fa.jpg&address_string=Shandan",
            ),
            Lang::En,
        )
        .unwrap();
        assert_eq!(s.category.code, "wage_arrears");
        assert_eq!((s.people_affected, s.amount_yuan), (Some(12), Some(36000)));
        assert_eq!(s.description.as_str(), "Owed 3 months");
        assert_eq!(s.contact.first_name.as_deref(), Some("Li"));
        assert_eq!(s.contact.phone.as_deref(), Some("+86 139"));
        assert_eq!(s.contact.address.as_deref(), Some("Shandan"));
        assert_eq!(s.contact.media_url.as_deref(), Some("https://e.cn/a.jpg"));
    }

    #[test]
    fn no_description_takes_the_service_name() {
        let s = parse(
            &form("service_code=safety_hazard&lat=39.1&long=100.4"),
            Lang::Zh,
        )
        .unwrap();
        assert_eq!(s.description.as_str(), service_name(s.category, Lang::Zh));
    }

    #[test]
    fn each_bad_field_is_named() {
        assert!(error("lat=1&long=2").contains("service_code is required"));
        assert!(
            error("service_code=safety_hazard&address_string=x").contains("address_string alone")
        );
        assert!(error("service_code=safety_hazard").contains("lat and long"));
        assert!(error("service_code=safety_hazard&lat=1").contains("long is required"));
        assert!(
            error("service_code=safety_hazard&lat=91&long=2").contains("lat 91 is out of range")
        );
        assert!(
            error("service_code=safety_hazard&lat=1&long=x").contains("long 'x' is not a number")
        );
        assert!(
            error("service_code=safety_hazard&lat=1&long=2&attribute[amount_yuan]=5")
                .contains("attribute[amount_yuan]: service safety_hazard has no such attribute")
        );
        assert!(
            error("service_code=safety_hazard&lat=1&long=2&attribute[people_affected]=-1")
                .contains("not a whole number")
        );
        assert!(error("service_code=safety_hazard&lat=1&long=2&email=nobody").contains("email"));
        assert!(
            error("service_code=safety_hazard&lat=1&long=2&media_url=ftp://x")
                .contains("media_url")
        );
        let long = "字".repeat(MAX_REMARK_CHARS + 1);
        assert!(
            error(&format!(
                "service_code=safety_hazard&lat=1&long=2&description={long}"
            ))
            .contains("description is 4001 characters")
        );
    }

    #[test]
    fn an_unknown_service_is_not_found() {
        let e = parse(&form("service_code=nope&lat=1&long=2"), Lang::En).unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::NOT_FOUND);
    }
}
