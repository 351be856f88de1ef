//! The queue of changes made on the phone, numbered per device, kept until
//! a pull acknowledges them: the server applied them and the phone holds
//! their effects. Pure; the sync loop drives it and `persist` stores it.

use crate::sync::{Mutation, MutationResult, MutationStatus};
use serde::{Deserialize, Serialize};

/// What a queued change is about, so the screens can show it on top of the
/// cached rows while it waits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Case(String),
    Watch(String),
}

/// A change waiting for its acknowledgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    pub number: u64,
    /// `case.create@1`, `case.act@1`…
    pub name: String,
    pub args: serde_json::Value,
    /// The phone's clock when it was made (recorded, never used to order).
    pub device_time: String,
    pub subject: Subject,
    /// Set once the server has answered for it.
    #[serde(default)]
    pub rejected: Option<Rejected>,
}

/// The server refused a change for good: it is dropped from the queue on
/// acknowledgement, and the user is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub code: String,
    pub message: String,
}

/// A refused change the user has not dismissed yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub subject: Subject,
    /// The mutation's name, for the words shown.
    pub name: String,
    /// The action tried (`sign_for`…), when it was an action.
    #[serde(default)]
    pub action: Option<String>,
    pub code: String,
    pub message: String,
}

/// What a gap answer means for this queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapFix {
    /// Send again from this number.
    ResendFrom(u64),
    /// The server has forgotten changes it acknowledged (a restore): the
    /// queue must go to a new device, renumbered.
    NewDevice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Outbox {
    /// The device the numbers belong to; `None` until registered.
    pub device: Option<String>,
    /// The next number to give.
    pub next: u64,
    /// Numbers up to here were answered by the server (applied, duplicate or
    /// rejected); the rest are to send.
    pub sent_through: u64,
    /// In order of their numbers.
    pub items: Vec<Queued>,
    pub notices: Vec<Notice>,
    /// Ids this phone has made (cases, photos): the unique part of the next.
    #[serde(default)]
    pub made: u64,
}

impl Outbox {
    /// An empty queue for a newly registered device.
    #[must_use]
    pub fn for_device(device: String, last_applied: u64) -> Self {
        Self {
            device: Some(device),
            next: last_applied + 1,
            sent_through: last_applied,
            items: Vec::new(),
            notices: Vec::new(),
            made: 0,
        }
    }

    /// Adds a change; its number.
    pub fn add(
        &mut self,
        name: &str,
        args: serde_json::Value,
        device_time: String,
        subject: Subject,
    ) -> u64 {
        let number = self.next.max(1);
        self.next = number + 1;
        self.items.push(Queued {
            number,
            name: name.to_owned(),
            args,
            device_time,
            subject,
            rejected: None,
        });
        number
    }

    /// Changes the server has not answered for yet.
    pub fn unsent(&self) -> impl Iterator<Item = &Queued> {
        let through = self.sent_through;
        self.items.iter().filter(move |q| q.number > through)
    }

    #[must_use]
    pub fn has_unsent(&self) -> bool {
        self.unsent().next().is_some()
    }

    /// Changes not yet acknowledged by a pull ("3 waiting to send").
    #[must_use]
    pub fn waiting(&self) -> usize {
        self.items.len()
    }

    /// The next batch to push, at most `max`.
    #[must_use]
    pub fn batch(&self, max: usize) -> Vec<Mutation> {
        self.unsent()
            .take(max)
            .map(|q| Mutation {
                number: q.number,
                name: q.name.clone(),
                args: q.args.clone(),
                device_time: Some(q.device_time.clone()),
            })
            .collect()
    }

    /// Records what the server said of a pushed batch.
    pub fn answered(&mut self, results: &[MutationResult], last_applied: u64) {
        for r in results {
            if r.status != MutationStatus::Rejected {
                continue;
            }
            if let Some(q) = self.items.iter_mut().find(|q| q.number == r.number) {
                q.rejected = Some(Rejected {
                    code: r.code.clone().unwrap_or_else(|| "rejected".into()),
                    message: r.message.clone().unwrap_or_default(),
                });
            }
        }
        self.sent_through = self.sent_through.max(last_applied);
    }

    /// A pull says the server applied everything up to `ack` and this page
    /// (or an earlier one) holds the effects: drop those, keeping a notice
    /// for each that was refused. The number of changes dropped.
    pub fn acknowledge(&mut self, ack: u64) -> usize {
        let before = self.items.len();
        let mut kept = Vec::with_capacity(self.items.len());
        for q in std::mem::take(&mut self.items) {
            if q.number > ack {
                kept.push(q);
            } else if let Some(r) = q.rejected {
                self.notices.push(Notice {
                    action: q.args["action"]["action"].as_str().map(str::to_owned),
                    subject: q.subject,
                    name: q.name,
                    code: r.code,
                    message: r.message,
                });
            }
        }
        self.items = kept;
        self.sent_through = self.sent_through.max(ack);
        self.next = self.next.max(ack + 1);
        before - self.items.len()
    }

    /// The server expects `expected` next.
    #[must_use]
    pub fn gap(&mut self, expected: u64) -> GapFix {
        let first = self.items.first().map_or(self.next, |q| q.number);
        if expected < first {
            // It forgot numbers it had acknowledged: nothing we hold fills
            // the hole.
            return GapFix::NewDevice;
        }
        self.sent_through = expected.saturating_sub(1);
        GapFix::ResendFrom(expected)
    }

    /// Moves the queue to a new device: the same changes in the same order,
    /// numbered from 1. A `case.create@1` the old device had delivered comes
    /// back `duplicate` (it is keyed by the case's id).
    pub fn move_to(&mut self, device: String) {
        self.device = Some(device);
        for (i, q) in self.items.iter_mut().enumerate() {
            q.number = i as u64 + 1;
            q.rejected = None;
        }
        self.next = self.items.len() as u64 + 1;
        self.sent_through = 0;
    }

    /// The changes waiting for this case, oldest first.
    pub fn for_case<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Queued> + 'a {
        self.items
            .iter()
            .filter(move |q| matches!(&q.subject, Subject::Case(c) if c == id))
    }

    pub fn notices_for<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Notice> + 'a {
        self.notices
            .iter()
            .filter(move |n| matches!(&n.subject, Subject::Case(c) if c == id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn queue(n: usize) -> Outbox {
        let mut o = Outbox::for_device("d".into(), 0);
        for i in 0..n {
            o.add(
                "case.act@1",
                json!({"case": "c", "action": {"action": "note", "text": format!("n{i}")}}),
                "t".into(),
                Subject::Case("c".into()),
            );
        }
        o
    }

    fn result(number: u64, status: MutationStatus) -> MutationResult {
        MutationResult {
            number,
            status,
            code: (status == MutationStatus::Rejected).then(|| "wrong_state".into()),
            message: (status == MutationStatus::Rejected).then(|| "already resolved".into()),
            id: None,
        }
    }

    #[test]
    fn numbers_run_on_and_only_a_pull_drops_changes() {
        let mut o = queue(3);
        assert_eq!(
            o.items.iter().map(|q| q.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(o.batch(2).len(), 2);
        o.answered(
            &[
                result(1, MutationStatus::Applied),
                result(2, MutationStatus::Duplicate),
            ],
            2,
        );
        // Answered, but not acknowledged: still waiting, no longer to send.
        assert_eq!(o.waiting(), 3);
        assert_eq!(
            o.batch(10).iter().map(|m| m.number).collect::<Vec<_>>(),
            [3]
        );
        assert_eq!(o.acknowledge(2), 2);
        assert_eq!(o.waiting(), 1);
        assert_eq!(
            o.add(
                "case.act@1",
                json!({}),
                "t".into(),
                Subject::Case("c".into())
            ),
            4
        );
    }

    #[test]
    fn a_refused_change_leaves_a_notice_when_acknowledged() {
        let mut o = queue(2);
        o.answered(
            &[
                result(1, MutationStatus::Rejected),
                result(2, MutationStatus::Applied),
            ],
            2,
        );
        assert!(
            o.notices.is_empty(),
            "not before the pull holds its effects"
        );
        o.acknowledge(2);
        assert_eq!(o.notices.len(), 1);
        assert_eq!(o.notices[0].code, "wrong_state");
        assert_eq!(o.notices[0].action.as_deref(), Some("note"));
        assert_eq!(o.notices_for("c").count(), 1);
    }

    #[test]
    fn gaps_resend_or_move_to_a_new_device() {
        let mut o = queue(3);
        o.answered(&[], 3);
        // The server lost the answer's effect? It expects 2: send 2 and 3 again.
        assert_eq!(o.gap(2), GapFix::ResendFrom(2));
        assert_eq!(
            o.batch(10).iter().map(|m| m.number).collect::<Vec<_>>(),
            [2, 3]
        );
        let mut o = queue(3);
        o.acknowledge(1);
        // A server restored from a backup expects 1 again, which the phone
        // dropped when it was acknowledged.
        assert_eq!(o.gap(1), GapFix::NewDevice);
        o.move_to("d2".into());
        assert_eq!(o.device.as_deref(), Some("d2"));
        assert_eq!(o.items.iter().map(|q| q.number).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(o.next, 3);
        assert!(o.has_unsent());
    }
}
