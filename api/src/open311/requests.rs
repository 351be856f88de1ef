//! `GET requests` and `GET requests/{id}`: cases as Open311 service
//! requests. `status` is `open` or `closed`; Gridline's own status is the
//! `status_notes` (in the reader's language) and, with `extensions=true`,
//! `extended_attributes.gridline_status`.
//!
//! Parties' privacy: disputes are never listed. A dispute is read by its id
//! only when it came in through Open311, where its submitter holds the id.

use super::doc::Doc;
use super::error::Open311Error;
use super::lang::Lang;
use super::services::service_name;
use crate::store::cases::{CaseFilter, CaseRow, CaseScope};
use crate::territory::snapshot::Territory;
use gridline_core::case::{Channel, Status};
use gridline_core::category::{self, CATEGORIES};
use gridline_core::time::Instant;
use gridline_core::{CaseId, OrgUnitId};

/// The spec's defaults: the last 90 days, the first 1,000 requests.
pub const WINDOW_MS: i64 = 90 * 24 * 3600 * 1000;
pub const LIMIT: u32 = 1000;

/// What `GET requests` asked for, read from its parameters (an empty
/// parameter counts as absent, as the spec says).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub ids: Vec<CaseId>,
    pub categories: Vec<String>,
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub open: Option<bool>,
    pub extensions: bool,
}

impl Query {
    pub fn parse(params: &[(String, String)]) -> Result<Query, Open311Error> {
        let mut q = Query::default();
        for (k, v) in params {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                "service_request_id" => {
                    for id in list(v) {
                        q.ids.push(id.parse().map_err(|_| {
                            Open311Error::bad(format!(
                                "service_request_id '{id}' is not a request id"
                            ))
                        })?);
                    }
                }
                "service_code" => {
                    for code in list(v) {
                        let c = category::by_code(code).ok_or_else(|| {
                            Open311Error::bad(format!(
                                "unknown service_code '{code}'; services.json lists them"
                            ))
                        })?;
                        if c.is_dispute {
                            return Err(Open311Error::bad(format!(
                                "'{code}' is a dispute: disputes are not listed publicly, to protect the parties; follow one by its service_request_id"
                            )));
                        }
                        q.categories.push(code.to_owned());
                    }
                }
                "start_date" => q.start = Some(instant("start_date", v)?),
                "end_date" => q.end = Some(instant("end_date", v)?),
                "status" => {
                    let mut open = false;
                    let mut closed = false;
                    for s in list(v) {
                        match s {
                            "open" => open = true,
                            "closed" => closed = true,
                            other => {
                                return Err(Open311Error::bad(format!(
                                    "status '{other}' is neither open nor closed"
                                )));
                            }
                        }
                    }
                    q.open = (open != closed).then_some(open);
                }
                "extensions" => q.extensions = v == "true",
                // jurisdiction_id is read by the router; other parameters
                // (api_key, paging hints of other servers) change nothing.
                _ => {}
            }
        }
        Ok(q)
    }

    /// The store filter for county `county` at `now`; errors name a bad window.
    pub fn filter(&self, county: OrgUnitId, now: i64) -> Result<CaseFilter, Open311Error> {
        let scope = CaseScope {
            counties: vec![county],
            ..CaseScope::default()
        };
        if !self.ids.is_empty() {
            // The ids override every other argument.
            return Ok(CaseFilter {
                scope,
                ids: self.ids.clone(),
                limit: LIMIT,
                ..CaseFilter::default()
            });
        }
        let end = self.end.unwrap_or(now);
        let start = self.start.unwrap_or(end - WINDOW_MS);
        if start > end {
            return Err(Open311Error::bad("start_date is after end_date"));
        }
        if end - start > WINDOW_MS {
            return Err(Open311Error::bad(
                "start_date and end_date may span at most 90 days",
            ));
        }
        let categories = if self.categories.is_empty() {
            CATEGORIES
                .iter()
                .filter(|c| !c.is_dispute)
                .map(|c| c.code.to_owned())
                .collect()
        } else {
            self.categories.clone()
        };
        let statuses = match self.open {
            None => Vec::new(),
            Some(open) => Status::ALL
                .into_iter()
                .filter(|s| s.is_pending() == open)
                .collect(),
        };
        Ok(CaseFilter {
            scope,
            categories,
            statuses,
            created_between: Some((start, end)),
            limit: LIMIT,
            ..CaseFilter::default()
        })
    }
}

fn list(v: &str) -> impl Iterator<Item = &str> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn instant(name: &str, v: &str) -> Result<i64, Open311Error> {
    v.parse::<Instant>().map(Instant::ms).map_err(|_| {
        Open311Error::bad(format!(
            "{name} '{v}' is not a w3c date-time such as 2026-11-01T00:00:00+08:00"
        ))
    })
}

/// May the public read this case through Open311?
pub fn public(c: &CaseRow) -> bool {
    category::by_code(&c.category).is_some_and(|k| !k.is_dispute) || c.channel == Channel::Open311
}

fn status_label(s: Status, lang: Lang) -> String {
    match lang {
        Lang::Zh => s.name_zh().to_owned(),
        Lang::En => s.as_str().replace('_', " "),
    }
}

/// One case as a `request`, with the media its outside sender linked.
pub fn request(
    c: &CaseRow,
    t: &Territory,
    lang: Lang,
    extensions: bool,
    media_url: Option<&str>,
) -> Doc {
    let k = category::by_code(&c.category);
    let unit = |id: Option<OrgUnitId>| {
        id.and_then(|id| t.by_id(id))
            .map(|i| t.unit(i).name.clone())
    };
    let address: Vec<String> = [c.county_id, c.township_id, c.village_id, c.grid_id]
        .into_iter()
        .filter_map(unit)
        .collect();
    let at = |ms: i64| Doc::text(Instant(ms).to_string());
    let mut fields = vec![
        ("service_request_id", Doc::text(c.id.to_string())),
        (
            "status",
            Doc::text(if c.status.is_pending() {
                "open"
            } else {
                "closed"
            }),
        ),
        ("status_notes", Doc::text(status_label(c.status, lang))),
        ("service_name", Doc::opt(k.map(|k| service_name(k, lang)))),
        ("service_code", Doc::text(c.category.clone())),
        ("description", Doc::text(c.description.clone())),
        ("agency_responsible", Doc::opt(unit(Some(c.lead_unit_id)))),
        ("service_notice", Doc::Null),
        ("requested_datetime", at(c.created_at)),
        ("updated_datetime", at(c.updated_at)),
        ("expected_datetime", c.deadline.map_or(Doc::Null, at)),
        (
            "address",
            if address.is_empty() {
                Doc::Null
            } else {
                Doc::text(address.join(" "))
            },
        ),
        ("address_id", Doc::Null),
        ("zipcode", Doc::Null),
        ("lat", Doc::Float(c.lat)),
        ("long", Doc::Float(c.lon)),
        ("media_url", Doc::opt(media_url)),
    ];
    if extensions {
        fields.push((
            "extended_attributes",
            Doc::Record(vec![
                ("gridline_status", Doc::text(c.status.as_str())),
                ("channel", Doc::text(c.channel.as_str())),
                ("tier", Doc::text(c.tier_name.clone())),
                (
                    "grid",
                    Doc::opt(
                        c.grid_id
                            .and_then(|g| t.by_id(g))
                            .map(|i| t.unit(i).code.clone()),
                    ),
                ),
                (
                    "merged_into",
                    Doc::opt(c.merged_into.map(|m| m.to_string())),
                ),
            ]),
        ));
    }
    Doc::Record(fields)
}
