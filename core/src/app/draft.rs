//! The report (or, for a resident, the request) being written. Stored on
//! every change, so it survives the app being killed.

use super::photos::LocalPhoto;
use crate::CaseId;
use crate::case::{Channel, IdNumber, Party, PartySide, Phone, Remark};
use crate::category;
use crate::photo::{ImageType, NewPhoto, PhotoBytes};
use crate::wire::case::{LocationIn, NewCase};
use serde::{Deserialize, Serialize};

/// At most this many photos on one case (the server's limit).
pub const MAX_PHOTOS: usize = 9;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftLocation {
    pub lat: f64,
    pub lon: f64,
    /// `wgs84` or `gcj02`.
    pub crs: String,
    /// From the phone's fix; absent for a pin.
    pub accuracy_m: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftParty {
    pub name: String,
    pub side: String,
    pub phone: String,
    pub id_number: String,
}

/// Why a draft cannot be sent yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum DraftProblem {
    NoCategory,
    UnknownCategory {
        code: String,
    },
    Description {
        why: String,
    },
    NoLocation,
    /// Party `index` (from 0): what is wrong.
    Party {
        index: usize,
        why: String,
    },
    TooManyPhotos,
    /// The phone could not tell where it is.
    Location {
        why: String,
    },
    Photo {
        why: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Draft {
    pub category: Option<String>,
    pub description: String,
    pub location: Option<DraftLocation>,
    pub parties: Vec<DraftParty>,
    pub people_affected: u32,
    pub amount_yuan: u64,
    pub photos: Vec<LocalPhoto>,
    #[serde(default)]
    pub problem: Option<DraftProblem>,
    /// Waiting for the phone's position.
    #[serde(skip)]
    pub locating: bool,
}

impl Draft {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.category.is_none()
            && self.description.trim().is_empty()
            && self.location.is_none()
            && self.parties.is_empty()
            && self.photos.is_empty()
    }

    /// The new case this draft makes, or the first thing wrong with it.
    ///
    /// # Errors
    /// What the user must fix, in the order the form shows the fields.
    pub fn to_new_case(&self, id: CaseId, channel: Channel) -> Result<NewCase, DraftProblem> {
        let code = self.category.clone().ok_or(DraftProblem::NoCategory)?;
        if category::by_code(&code).is_none() {
            return Err(DraftProblem::UnknownCategory { code });
        }
        let description = Remark::parse(&self.description)
            .map_err(|e| DraftProblem::Description { why: e.to_string() })?;
        let loc = self.location.as_ref().ok_or(DraftProblem::NoLocation)?;
        let parties = self
            .parties
            .iter()
            .enumerate()
            .map(|(index, p)| party(p).map_err(|why| DraftProblem::Party { index, why }))
            .collect::<Result<Vec<_>, _>>()?;
        if self.photos.len() > MAX_PHOTOS {
            return Err(DraftProblem::TooManyPhotos);
        }
        let photos = self
            .photos
            .iter()
            .map(|p| p.new_photo().map_err(|why| DraftProblem::Photo { why }))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(NewCase {
            id: Some(id),
            category: code,
            description,
            location: LocationIn {
                lat: loc.lat,
                lon: loc.lon,
                crs: Some(loc.crs.clone()),
            },
            channel: Some(channel),
            parties,
            people_affected: (self.people_affected > 0).then_some(self.people_affected),
            amount_yuan: (self.amount_yuan > 0).then_some(self.amount_yuan),
            risk: None,
            photos,
        })
    }
}

fn party(p: &DraftParty) -> Result<Party, String> {
    let name = Remark::parse(&p.name).map_err(|e| format!("name: {e}"))?;
    let side = match p.side.as_str() {
        "" | "applicant" => PartySide::Applicant,
        "respondent" => PartySide::Respondent,
        "other" => PartySide::Other,
        s => return Err(format!("side {s:?} is not applicant, respondent or other")),
    };
    let phone = match p.phone.trim() {
        "" => None,
        s => Some(Phone::parse(s).map_err(|e| e.to_string())?),
    };
    let id_number = match p.id_number.trim() {
        "" => None,
        s => Some(IdNumber::parse(s).map_err(|e| e.to_string())?),
    };
    Ok(Party {
        name,
        side,
        phone,
        id_number,
    })
}

impl LocalPhoto {
    /// The metadata a case carries for this photo.
    ///
    /// # Errors
    /// Stored metadata that no longer parses (an older app's).
    pub fn new_photo(&self) -> Result<NewPhoto, String> {
        Ok(NewPhoto {
            photo: self.id.parse().map_err(|e| format!("{e}"))?,
            sha256: self.sha256.parse()?,
            bytes: PhotoBytes::new(self.bytes)?,
            mime: self.mime.parse::<ImageType>()?,
        })
    }
}
