//! The bridge as a shell meets it: bytes in, bytes out, and every mistake a
//! shell can make is an error it can catch, after which the core still
//! works.

use crux_core::bridge::Request;
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult};
use gridline_core::app::{EffectFfi, Event, Route};
use gridline_mobile::{CoreError, CoreFFI};

fn requests(bytes: &[u8]) -> Vec<Request<EffectFfi>> {
    bincode::deserialize(bytes).expect("the core's requests read back")
}

fn event(e: &Event) -> Vec<u8> {
    bincode::serialize(e).expect("an event serializes")
}

fn nothing_stored() -> Vec<u8> {
    bincode::serialize(&KeyValueResult::Ok {
        response: KeyValueResponse::Get { value: None.into() },
    })
    .expect("an answer serializes")
}

/// Starts the core; returns the id of its first storage read.
fn start(core: &CoreFFI) -> u32 {
    let out = core
        .update(event(&Event::Start {
            platform: "other".into(),
            app_version: "test".into(),
        }))
        .expect("start is an event");
    requests(&out)
        .into_iter()
        .find_map(|r| match r.effect {
            EffectFfi::KeyValue(KeyValueOperation::Get { .. }) => Some(r.id.0),
            _ => None,
        })
        .expect("launch reads storage")
}

#[test]
fn an_effect_id_answers_once() {
    let core = CoreFFI::new();
    let id = start(&core);
    core.resolve(id, nothing_stored())
        .expect("the first answer is taken");
    assert_eq!(
        core.resolve(id, nothing_stored()),
        Err(CoreError::UnknownEffect { id }),
        "a repeated answer is refused"
    );
    assert_eq!(
        core.resolve(9_999, nothing_stored()),
        Err(CoreError::UnknownEffect { id: 9_999 }),
        "an id never issued is refused"
    );
}

#[test]
fn a_render_needs_no_answer() {
    let core = CoreFFI::new();
    let out = core
        .update(event(&Event::Open { route: Route::Home }))
        .expect("open is an event");
    let render = requests(&out)
        .into_iter()
        .find(|r| matches!(r.effect, EffectFfi::Render(_)))
        .expect("opening a screen renders")
        .id
        .0;
    assert!(matches!(
        core.resolve(render, Vec::new()),
        Err(CoreError::UnknownEffect { .. })
    ));
}

#[test]
fn bad_bytes_are_refused_and_the_core_goes_on() {
    let core = CoreFFI::new();
    assert!(matches!(
        core.update(vec![0xFF, 0xFF, 0xFF, 0x7F]),
        Err(CoreError::BadEvent { .. })
    ));
    let id = start(&core);
    // Not a storage answer: refused, and crux has let go of that read.
    assert!(matches!(
        core.resolve(id, vec![9, 9]),
        Err(CoreError::BadOutput { id: i, .. }) if i == id
    ));
    assert_eq!(
        core.resolve(id, nothing_stored()),
        Err(CoreError::UnknownEffect { id })
    );
    // The core itself is whole: a new launch reads storage again.
    let again = start(&core);
    assert!(again > id, "ids are never reused");
    core.resolve(again, nothing_stored())
        .expect("a fresh read is answered");
    assert!(!core.view().expect("the view model serializes").is_empty());
}
