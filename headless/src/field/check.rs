//! Whether a phone holds what the server holds for it: nothing left to
//! send, nothing new to pull from its cursor, and every case it holds at the
//! server's version.

use crate::Phone;
use gridline_core::sync::{ChangeOp, Entity, PullPage};
use gridline_core::wire::case::CaseView;
use std::collections::BTreeMap;

/// `Ok` when converged, else why not, in words.
pub async fn converged(p: &Phone, client: &reqwest::Client) -> Result<(), String> {
    let (waiting, session, device, cursor, held) = p.model(|m| {
        (
            m.outbox.waiting(),
            m.session.clone(),
            m.outbox.device.clone(),
            m.meta.cursor.clone(),
            m.cache
                .cases
                .iter()
                .map(|(id, c)| (id.clone(), (c.rev, c.record.case.version)))
                .collect::<BTreeMap<_, _>>(),
        )
    });
    if waiting > 0 {
        return Err(format!("{waiting} changes not sent"));
    }
    let session = session.ok_or("not logged in")?;
    let device = device.ok_or("no device registered")?;
    let base = session.server.trim_end_matches('/');
    let mut url = format!("{base}/v1/sync/pull?device_id={device}&limit=1000");
    if let Some(c) = &cursor {
        url.push_str("&cursor=");
        url.push_str(c);
    }
    let r = client
        .get(&url)
        .bearer_auth(&session.access)
        .send()
        .await
        .map_err(|e| format!("checking: {e}"))?;
    if !r.status().is_success() {
        return Err(format!("checking: the server answered {}", r.status()));
    }
    let page: PullPage = r.json().await.map_err(|e| format!("checking: {e}"))?;
    // The last change of each case in the page is what the phone must show.
    let mut last = BTreeMap::new();
    for c in page.changes.iter().filter(|c| c.entity == Entity::Case) {
        last.insert(c.id.as_str(), (c.op, c.rev));
    }
    for (id, (op, rev)) in last {
        let have = held.get(id).map(|(r, _)| *r);
        let fine = match op {
            ChangeOp::Upsert => have.is_some_and(|r| r >= rev),
            ChangeOp::Remove => have.is_none_or(|r| r > rev),
        };
        if !fine {
            return Err(format!(
                "the server has case {id} at revision {rev} ({op:?}); the phone has {have:?}"
            ));
        }
    }
    for (id, (_, version)) in &held {
        let r = client
            .get(format!("{base}/v1/cases/{id}"))
            .bearer_auth(&session.access)
            .send()
            .await
            .map_err(|e| format!("checking case {id}: {e}"))?;
        if !r.status().is_success() {
            return Err(format!(
                "the phone holds case {id}; the server answers {}",
                r.status()
            ));
        }
        let case: CaseView = r.json().await.map_err(|e| format!("case {id}: {e}"))?;
        if case.version != *version {
            return Err(format!(
                "case {id}: the phone holds version {version}, the server {}",
                case.version
            ));
        }
    }
    Ok(())
}
