//! A person's data on request (个人信息查阅、删除): found by what identifies
//! them, exported whole with who has read it, or erased. Erasure takes the
//! person out of every case they are in (as a party, or as the sender of a
//! request from outside) and closes a resident's account; the cases, their
//! history and their figures stay. Staff accounts are closed by disabling
//! them, never erased: what staff did is the official record.
//!
//! Only an admin may do either (checked by the routes); both are written to
//! the audit log with their counts, and an export is logged as a read of
//! every case it shows.

use crate::auth::service::Identity;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::intake::Contact;
use crate::store::privacy::{LogFilter, PersonFound, PersonKey, Redaction};
use gridline_core::case::{IdNumber, PartySide, Phone};
use gridline_core::time::Instant;
use gridline_core::user::Username;
use gridline_core::{CaseId, Role, UserId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Most reads listed per case in an export.
const READS_PER_CASE: u32 = 1000;

/// Who the request is about. Any part given finds them; give at least one.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonQuery {
    /// A resident identity card number (GB 11643).
    pub id_number: Option<String>,
    pub phone: Option<String>,
    /// As given with a request from outside (Open311).
    pub email: Option<String>,
    /// A resident's account.
    pub username: Option<String>,
}

impl PersonQuery {
    /// The key to look the person up by.
    ///
    /// # Errors
    /// A part that is not what it says, or no part at all.
    pub fn key(&self) -> ApiResult<PersonKey> {
        let bad =
            |field: &str, e: &dyn std::fmt::Display| ApiError::invalid(format!("{field}: {e}"));
        let key = PersonKey {
            id_number: self
                .id_number
                .as_deref()
                .map(|s| IdNumber::parse(s).map(|v| v.as_str().to_owned()))
                .transpose()
                .map_err(|e| bad("id_number", &e))?,
            phone: self
                .phone
                .as_deref()
                .map(|s| Phone::parse(s).map(|v| v.as_str().to_owned()))
                .transpose()
                .map_err(|e| bad("phone", &e))?,
            email: self
                .email
                .as_deref()
                .map(|s| {
                    let s = s.trim();
                    match s.split_once('@') {
                        Some((a, b)) if !a.is_empty() && b.contains('.') && s.len() <= 254 => {
                            Ok(s.to_lowercase())
                        }
                        _ => Err(format!("{s:?} is not an email address")),
                    }
                })
                .transpose()
                .map_err(|e| bad("email", &e))?,
            username: self
                .username
                .as_deref()
                .map(|s| Username::parse(s).map(|v| v.to_string()))
                .transpose()
                .map_err(|e| bad("username", &e))?,
        };
        if key == PersonKey::default() {
            return Err(ApiError::invalid(
                "give at least one of id_number, phone, email or username to find the person by",
            ));
        }
        Ok(key)
    }
}

/// Everything held about a person.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonExport {
    #[schema(value_type = String)]
    pub exported_at: Instant,
    /// The cases they are in, oldest first.
    pub cases: Vec<CaseShare>,
    /// Their resident account, when the request named one.
    pub account: Option<AccountExport>,
}

/// One case the person is in, with their part of it and who has read it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseShare {
    pub case_id: String,
    pub category: String,
    pub status: String,
    pub description: String,
    #[schema(value_type = String)]
    pub created_at: Instant,
    /// Their entries among the case's parties.
    pub parties: Vec<PartyShare>,
    /// What they said about themselves sending it from outside.
    pub contact: Option<Contact>,
    /// Whether their account reported it.
    pub reported_by_them: bool,
    /// Every logged read of the case's personal data.
    pub reads: Vec<ReadShare>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PartyShare {
    pub position: i64,
    pub name: String,
    pub side: PartySide,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReadShare {
    #[schema(value_type = String)]
    pub at: Instant,
    /// The account that read it.
    pub by: String,
    /// The request it came through.
    pub via: String,
    pub device: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountExport {
    pub username: String,
    pub display_name: String,
    #[schema(value_type = String)]
    pub created_at: Instant,
    pub disabled: bool,
    pub roles: Vec<RoleShare>,
    pub devices: Vec<DeviceShare>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoleShare {
    pub role: Role,
    /// The unit's code.
    pub unit: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeviceShare {
    pub id: String,
    pub platform: String,
    #[schema(value_type = String)]
    pub registered_at: Instant,
    #[schema(value_type = String)]
    pub last_seen: Instant,
}

/// What an erasure took out.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErasureReport {
    /// The cases the person was taken out of.
    pub cases: Vec<String>,
    pub parties: usize,
    pub contacts: usize,
    /// Whether a resident account was closed.
    pub account: bool,
}

/// The cases a find touches, with what to take out of each.
fn per_case(found: &PersonFound) -> BTreeMap<CaseId, Redaction> {
    let mut cases: BTreeMap<CaseId, Redaction> = BTreeMap::new();
    for p in &found.parties {
        cases.entry(p.case_id).or_default().parties.push(p.position);
    }
    for (c, _) in &found.contacts {
        cases.entry(*c).or_default().contact = true;
    }
    cases
}

/// Usernames by account id, each looked up once (an account since deleted
/// shows as its id).
#[derive(Default)]
pub(crate) struct Usernames(HashMap<UserId, String>);

impl Usernames {
    pub(crate) async fn of(&mut self, state: &AppState, id: UserId) -> ApiResult<String> {
        if let Some(n) = self.0.get(&id) {
            return Ok(n.clone());
        }
        let name = state
            .store
            .user_by_id(id)
            .await?
            .map_or_else(|| id.to_string(), |u| u.username);
        self.0.insert(id, name.clone());
        Ok(name)
    }
}

/// Everything held about the person `key` finds; logged as a read of each
/// case it shows.
///
/// # Errors
/// Store failures.
pub async fn export(state: &AppState, who: &Identity, key: &PersonKey) -> ApiResult<PersonExport> {
    let found = state.store.find_person(key).await?;
    let mut cases = per_case(&found);
    let reported: Vec<CaseId> = found
        .account
        .as_ref()
        .map(|a| a.reported.clone())
        .unwrap_or_default();
    for c in &reported {
        cases.entry(*c).or_default();
    }
    let mut names = Usernames::default();
    let mut shares = Vec::with_capacity(cases.len());
    for id in cases.keys() {
        let Some(case) = state.store.case(*id).await? else {
            continue;
        };
        let reads = state
            .store
            .reads(&LogFilter {
                case: Some(*id),
                limit: READS_PER_CASE,
                ..LogFilter::default()
            })
            .await?;
        let mut read_shares = Vec::with_capacity(reads.len());
        for r in reads {
            read_shares.push(ReadShare {
                at: Instant(r.at),
                by: names.of(state, r.user_id).await?,
                via: r.via,
                device: r.device_id.map(|d| d.to_string()),
            });
        }
        shares.push(CaseShare {
            case_id: id.to_string(),
            category: case.category.clone(),
            status: serde_json::to_value(case.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            description: case.description.clone(),
            created_at: Instant(case.created_at),
            parties: found
                .parties
                .iter()
                .filter(|p| p.case_id == *id)
                .map(|p| PartyShare {
                    position: p.position,
                    name: p.party.name.as_str().to_owned(),
                    side: p.party.side,
                    phone: p.party.phone.as_ref().map(|v| v.as_str().to_owned()),
                    id_number: p.party.id_number.as_ref().map(|v| v.as_str().to_owned()),
                })
                .collect(),
            contact: found
                .contacts
                .iter()
                .find(|(c, _)| c == id)
                .map(|(_, c)| c.clone()),
            reported_by_them: reported.contains(id),
            reads: read_shares,
        });
    }
    let t = state.territory.current();
    let account = found.account.map(|a| AccountExport {
        username: a.username,
        display_name: a.display_name,
        created_at: Instant(a.created_at),
        disabled: a.disabled,
        roles: a
            .roles
            .iter()
            .map(|(r, u)| {
                let code = t
                    .by_id(*u)
                    .map_or_else(|| u.to_string(), |i| t.unit(i).code.clone());
                RoleShare {
                    role: *r,
                    unit: code,
                }
            })
            .collect(),
        devices: a
            .devices
            .into_iter()
            .map(|(id, platform, registered, seen)| DeviceShare {
                id: id.to_string(),
                platform,
                registered_at: Instant(registered),
                last_seen: Instant(seen),
            })
            .collect(),
    });
    let shown: Vec<CaseId> = cases.keys().copied().collect();
    let now = state.clock.now_ms();
    state
        .store
        .record_personal_data_reads(
            who.user_id,
            who.device,
            &shown,
            "POST /v1/privacy/export",
            now,
        )
        .await?;
    Ok(PersonExport {
        exported_at: Instant(now),
        cases: shares,
        account,
    })
}

/// Takes the person `key` finds out of every case they are in and closes
/// their resident account. Asking again erases what is left (nothing, once
/// one request went through).
///
/// # Errors
/// `conflict` when the account named is a staff account; store failures.
pub async fn erase(state: &AppState, who: &Identity, key: &PersonKey) -> ApiResult<ErasureReport> {
    let found = state.store.find_person(key).await?;
    if let Some(a) = &found.account
        && a.roles.iter().any(|(r, _)| *r != Role::Resident)
    {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            gridline_core::wire::error::ErrorCode::Conflict,
            format!(
                "username: {:?} is a staff account: staff accounts are disabled, not erased, because what they did is the official record; erase the person as a party by id_number or phone",
                a.username
            ),
        ));
    }
    let cases = per_case(&found);
    for (id, redaction) in &cases {
        state.cases.erase_from(who.user_id, *id, redaction).await?;
    }
    if let Some(a) = &found.account {
        let alias = format!("erased-{}", a.user_id);
        state
            .store
            .erase_account(a.user_id, &alias, state.clock.now_ms())
            .await?;
    }
    Ok(ErasureReport {
        cases: cases.keys().map(ToString::to_string).collect(),
        parties: found.parties.len(),
        contacts: found.contacts.len(),
        account: found.account.is_some(),
    })
}
