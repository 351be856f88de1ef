//! `gridline field`: simulated grid workers and cadres with their own phone
//! cores against the demo county, every phone losing the network once.

use gridline_headless::field::{FieldOptions, run};
use gridline_tests::{PASSWORD, TestApp};
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulated_phones_in_the_demo_county_report_handle_and_converge() {
    let (app, _) = TestApp::spawn_demo().await;
    let dir = tempfile::tempdir().unwrap();
    let opts = FieldOptions {
        server: app.url(""),
        admin_user: "admin".into(),
        admin_password: PASSWORD.into(),
        workers: 3,
        minutes: 0.25,
        report_every_s: 2.0,
        offline_share: 1.0,
        settle: Duration::from_secs(60),
        seed: 7,
        dir: dir.path().to_owned(),
    };
    let lines = std::sync::Mutex::new(Vec::new());
    let report = run(&opts, |l| lines.lock().unwrap().push(l.to_owned()))
        .await
        .unwrap();
    let text = report.to_string();
    assert_eq!(report.diverged(), 0, "{text}");
    let t = &report.tally;
    assert!(t.reported.load(Relaxed) >= 3, "{text}");
    assert_eq!(
        t.outages.load(Relaxed),
        6,
        "3 workers and their 3 cadres, once each: {text}"
    );
    let gws: Vec<_> = report
        .devices
        .iter()
        .filter(|d| d.username.starts_with("field-gw-"))
        .collect();
    assert_eq!(gws.len(), 3, "{text}");
    for d in &report.devices {
        assert_eq!(
            d.made, d.acknowledged,
            "everything made was acknowledged: {text}"
        );
    }
    let made_reports: u64 = gws.iter().map(|d| d.made).sum();
    assert!(made_reports >= t.reported.load(Relaxed), "{text}");
    // A second run finds the accounts and gives them a new password.
    let again = FieldOptions {
        minutes: 0.05,
        offline_share: 0.0,
        dir: dir.path().join("again"),
        ..opts
    };
    let report = run(&again, |_| {}).await.unwrap();
    assert_eq!(report.diverged(), 0, "{report}");
    assert!(lines.lock().unwrap()[0].contains("3 grid workers"));
}
