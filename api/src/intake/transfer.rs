//! Tickets transferred in from other platforms (12345 hotline, 110, court
//! referrals): one case per (source, external id). The same ticket sent
//! again changes nothing; a changed one amends its case, with an `amend`
//! event in the history that says what changed from what.
//!
//! An amendment applies the description, the numbers and the caller. A
//! changed category or location is recorded but not applied: the case
//! stays where it was routed, and the operator who reads the history can
//! return or transfer it.

use super::IntakeService;
use super::error::{IntakeError, IntakeResult};
use crate::cases::error::CaseError;
use crate::cases::hex_lower;
use crate::store::cases::CaseRow;
use crate::store::intake::{ApiKeyRow, Contact, Outside, Ticket};
use gridline_core::case::Remark;
use gridline_core::category;
use gridline_core::coord::{Crs, GeoPoint};
use gridline_core::wire::case::{LocationIn, NewCase};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Longest external id accepted.
const MAX_EXTERNAL_ID: usize = 100;
/// Two locations closer than this (degrees, about 10 cm) are the same.
const SAME_PLACE_DEG: f64 = 1e-6;

/// The caller on another platform's ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketCaller {
    /// The whole name as the ticket gives it.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A ticket another platform transfers in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferIn {
    /// The ticket's id on the sending platform.
    pub external_id: String,
    /// A category code, as `GET /v1/categories` lists them.
    pub category: String,
    pub description: String,
    #[schema(value_type = Object)]
    pub location: LocationIn,
    /// The address as the ticket gives it.
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub caller: Option<TicketCaller>,
    #[serde(default)]
    pub people_affected: Option<u32>,
    #[serde(default)]
    pub amount_yuan: Option<u64>,
}

/// What a transfer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferOutcome {
    Created,
    Unchanged,
    Updated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TransferOut {
    pub case_id: String,
    pub source: String,
    pub external_id: String,
    /// 1 when created; one more with each changed resend.
    pub revision: i64,
    pub outcome: TransferOutcome,
}

fn checked_text(field: &str, v: Option<&str>, max: usize) -> IntakeResult<Option<String>> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(IntakeError::Invalid(format!(
            "{field}: at most {max} characters, on one line"
        )));
    }
    Ok(Some(v.to_owned()))
}

/// The ticket, checked: its id, description and WGS84 point.
struct Checked {
    external_id: String,
    description: Remark,
    point: GeoPoint,
    contact: Contact,
}

fn check(t: &TransferIn) -> IntakeResult<Checked> {
    let external_id = checked_text("external_id", Some(&t.external_id), MAX_EXTERNAL_ID)?
        .ok_or_else(|| IntakeError::Invalid("external_id: the ticket's id is required".into()))?;
    if category::by_code(&t.category).is_none() {
        return Err(CaseError::UnknownCategory(t.category.clone()).into());
    }
    let description = Remark::parse(&t.description)
        .map_err(|e| IntakeError::Invalid(format!("description: {e}")))?;
    let crs: Crs = match t.location.crs.as_deref() {
        None => Crs::Wgs84,
        Some(c) => c.parse().map_err(CaseError::from)?,
    };
    let point = GeoPoint::parse(t.location.lat, t.location.lon, crs).map_err(CaseError::from)?;
    let caller = t.caller.clone().unwrap_or_default();
    let contact = Contact {
        first_name: checked_text("caller.name", caller.name.as_deref(), 100)?,
        phone: checked_text("caller.phone", caller.phone.as_deref(), 32)?,
        address: checked_text("address", t.address.as_deref(), 500)?,
        ..Contact::default()
    };
    Ok(Checked {
        external_id,
        description,
        point,
        contact,
    })
}

fn body_sha256(t: &TransferIn) -> String {
    use sha2::Digest;
    let canonical = serde_json::to_value(t)
        .map(|v| v.to_string())
        .unwrap_or_default();
    hex_lower(&sha2::Sha256::digest(canonical.as_bytes()))
}

/// One field's change, for the `amend` event.
fn change(out: &mut serde_json::Map<String, Value>, field: &str, from: Value, to: Value) {
    if from != to {
        out.insert(field.into(), json!({ "from": from, "to": to }));
    }
}

impl IntakeService {
    /// Creates or updates the case of a transferred ticket.
    ///
    /// # Errors
    /// Bad input, a ticket of another county's case, or the case service's
    /// refusals.
    pub async fn transfer(&self, key: &ApiKeyRow, t: TransferIn) -> IntakeResult<TransferOut> {
        let c = check(&t)?;
        let sha = body_sha256(&t);
        let now = self.clock.now_ms();
        let out = |case_id: String, revision, outcome| TransferOut {
            case_id,
            source: key.source.as_str().to_owned(),
            external_id: c.external_id.clone(),
            revision,
            outcome,
        };
        // A transfer racing another of the same ticket loses its write and
        // reads again: it then finds the other's case.
        for _ in 0..3 {
            let Some(stored) = self.store.ticket(key.source, &c.external_id).await? else {
                let who = self.key_identity(key).await?;
                let case_id = gridline_core::CaseId::default();
                let new = NewCase {
                    id: Some(case_id),
                    category: t.category.clone(),
                    description: c.description.clone(),
                    location: t.location.clone(),
                    channel: Some(key.source),
                    parties: Vec::new(),
                    people_affected: t.people_affected,
                    amount_yuan: t.amount_yuan,
                    risk: None,
                    photos: Vec::new(),
                };
                let outside = Outside {
                    api_key_id: Some(key.id.clone()),
                    contact: Some(c.contact.clone()),
                    ticket: Some(Ticket {
                        source: key.source,
                        external_id: c.external_id.clone(),
                        case_id,
                        revision: 1,
                        body_sha256: sha.clone(),
                        received_at: now,
                    }),
                };
                match self.cases.create_outside(&who, new, &outside).await {
                    Ok(id) => return Ok(out(id.to_string(), 1, TransferOutcome::Created)),
                    Err(CaseError::VersionConflict) => continue,
                    Err(e) => return Err(e.into()),
                }
            };
            if stored.body_sha256 == sha {
                return Ok(out(
                    stored.case_id.to_string(),
                    stored.revision,
                    TransferOutcome::Unchanged,
                ));
            }
            let case = self
                .store
                .case(stored.case_id)
                .await?
                .ok_or_else(|| IntakeError::NotFound(format!("no case {}", stored.case_id)))?;
            if case.county_id != Some(key.county_id) {
                return Err(IntakeError::Forbidden(format!(
                    "ticket {} belongs to a case of another county",
                    c.external_id
                )));
            }
            let before = self.store.contact(case.id).await?.unwrap_or_default();
            let revision = stored.revision + 1;
            let (case, what) = amend(case, &t, &c, &before, revision);
            let outside = Outside {
                api_key_id: Some(key.id.clone()),
                contact: Some(c.contact.clone()),
                ticket: Some(Ticket {
                    revision,
                    body_sha256: sha.clone(),
                    received_at: now,
                    ..stored
                }),
            };
            let id = case.id.to_string();
            match self
                .cases
                .amend_outside(key.user_id, case, what, &outside)
                .await
            {
                Ok(()) => return Ok(out(id, revision, TransferOutcome::Updated)),
                Err(CaseError::VersionConflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(CaseError::VersionConflict.into())
    }
}

/// The case with the ticket's changes applied, and what changed.
fn amend(
    mut case: CaseRow,
    t: &TransferIn,
    c: &Checked,
    before: &Contact,
    revision: i64,
) -> (CaseRow, Value) {
    let mut applied = serde_json::Map::new();
    let mut held = serde_json::Map::new();
    change(
        &mut applied,
        "description",
        json!(case.description),
        json!(c.description.as_str()),
    );
    case.description = c.description.as_str().to_owned();
    let people = t.people_affected.unwrap_or(1);
    change(
        &mut applied,
        "people_affected",
        json!(case.people_affected),
        json!(people),
    );
    case.people_affected = people;
    let amount = t.amount_yuan.unwrap_or(0);
    change(
        &mut applied,
        "amount_yuan",
        json!(case.amount_yuan),
        json!(amount),
    );
    case.amount_yuan = amount;
    change(
        &mut applied,
        "caller.name",
        json!(before.first_name),
        json!(c.contact.first_name),
    );
    change(
        &mut applied,
        "caller.phone",
        json!(before.phone),
        json!(c.contact.phone),
    );
    change(
        &mut applied,
        "address",
        json!(before.address),
        json!(c.contact.address),
    );
    change(
        &mut held,
        "category",
        json!(case.category),
        json!(t.category),
    );
    let (lat, lon) = (c.point.lat.degrees(), c.point.lon.degrees());
    if (lat - case.lat).abs() > SAME_PLACE_DEG || (lon - case.lon).abs() > SAME_PLACE_DEG {
        held.insert(
            "location".into(),
            json!({ "from": [case.lat, case.lon], "to": [lat, lon] }),
        );
    }
    let what = json!({
        "source": case.channel.as_str(),
        "external_id": c.external_id,
        "revision": revision,
        "changed": applied,
        "not_applied": held,
    });
    (case, what)
}

/// The key as a caller presents it: `X-Api-Key`, or `Authorization: ApiKey …`.
#[must_use]
pub fn presented_key(headers: &axum::http::HeaderMap) -> Option<String> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    header("x-api-key")
        .map(str::to_owned)
        .or_else(|| {
            header("authorization")
                .and_then(|v| v.strip_prefix("ApiKey "))
                .map(str::to_owned)
        })
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_tells_a_change_from_a_resend() {
        let t = TransferIn {
            external_id: "A1".into(),
            category: "noise".into(),
            description: "loud".into(),
            location: LocationIn {
                lat: 38.8,
                lon: 101.1,
                crs: None,
            },
            address: None,
            caller: None,
            people_affected: None,
            amount_yuan: None,
        };
        let mut u = t.clone();
        assert_eq!(body_sha256(&t), body_sha256(&u));
        u.description = "louder".into();
        assert_ne!(body_sha256(&t), body_sha256(&u));
    }
}
