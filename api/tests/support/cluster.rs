//! A throw-away PostgreSQL cluster run by `scripts/pg`, for the tests that
//! must crash it, restart it or fill its disk.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `scripts/pg ARGS… DIR`; fails the test (with the script's own words) if
/// the script does.
pub fn pg(args: &[&str], dir: &Path) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pg");
    let out = Command::new(script)
        .args(args)
        .arg(dir)
        .output()
        .expect("run scripts/pg");
    assert!(
        out.status.success(),
        "scripts/pg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A cluster in a directory of its own; stopped and removed when dropped.
pub struct Cluster {
    pub dir: PathBuf,
    pub url: String,
}

impl Cluster {
    /// A new cluster in `dir` (wiped first). The Unix socket lives there, so
    /// the path must be short: a directory right under `/tmp`.
    #[must_use]
    pub fn start(dir: PathBuf) -> Self {
        let out = pg(&["start"], &dir);
        let url = String::from_utf8(out.stdout)
            .expect("a URL")
            .trim()
            .to_owned();
        Self { dir, url }
    }

    /// Kills the server as a crash would (no checkpoint), keeping its data.
    pub fn crash(&self) {
        pg(&["crash"], &self.dir);
    }

    /// Starts the crashed or stopped server again on the same port.
    pub fn restart(&self) {
        pg(&["restart"], &self.dir);
    }

    /// Whether the server answers now.
    #[must_use]
    pub fn answers(&self) -> bool {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pg");
        Command::new(script)
            .arg("url")
            .arg(&self.dir)
            .output()
            .is_ok_and(|o| o.status.success())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pg");
        let _ = Command::new(script).arg("stop").arg(&self.dir).output();
    }
}
