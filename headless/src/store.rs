//! The phone's key-value storage: one file per key in one folder, each write
//! to a temporary file that is synced and then renamed over the old one, so
//! a crash leaves either the old value or the new, never half of one.

use crux_kv::error::KeyValueError;
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files still being written end in this; reads and listings skip them.
const PARTIAL: &str = ".partial";

#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    /// Opens (creating it if need be) the folder the values live in.
    pub fn open(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = dir.into();
        fs::create_dir_all(&dir)?;
        Ok(Self { dir })
    }

    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Answers one storage request of the core.
    #[must_use]
    pub fn run(&self, op: KeyValueOperation) -> KeyValueResult {
        let out = match op {
            KeyValueOperation::Get { key } => self.get(&key).map(|value| KeyValueResponse::Get {
                value: value.into(),
            }),
            KeyValueOperation::Set { key, value } => self.get(&key).and_then(|previous| {
                self.set(&key, &value)?;
                Ok(KeyValueResponse::Set {
                    previous: previous.into(),
                })
            }),
            KeyValueOperation::Delete { key } => self.get(&key).and_then(|previous| {
                self.delete(&key)?;
                Ok(KeyValueResponse::Delete {
                    previous: previous.into(),
                })
            }),
            KeyValueOperation::Exists { key } => self.get(&key).map(|v| KeyValueResponse::Exists {
                is_present: v.is_some(),
            }),
            KeyValueOperation::ListKeys { prefix, .. } => {
                self.keys(&prefix).map(|keys| KeyValueResponse::ListKeys {
                    keys,
                    next_cursor: 0,
                })
            }
        };
        match out {
            Ok(response) => KeyValueResult::Ok { response },
            Err(e) => KeyValueResult::Err {
                error: KeyValueError::Io {
                    message: e.to_string(),
                },
            },
        }
    }

    pub fn get(&self, key: &str) -> std::io::Result<Option<Vec<u8>>> {
        match fs::read(self.path(key)) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn set(&self, key: &str, value: &[u8]) -> std::io::Result<()> {
        let path = self.path(key);
        let mut partial = path.clone().into_os_string();
        partial.push(PARTIAL);
        let partial = PathBuf::from(partial);
        let mut f = fs::File::create(&partial)?;
        f.write_all(value)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&partial, &path)
    }

    pub fn delete(&self, key: &str) -> std::io::Result<()> {
        match fs::remove_file(self.path(key)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Every key starting with `prefix`, sorted.
    pub fn keys(&self, prefix: &str) -> std::io::Result<Vec<String>> {
        let mut keys = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let name = entry?.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.ends_with(PARTIAL) {
                continue;
            }
            if let Some(key) = decode(name).filter(|k| k.starts_with(prefix)) {
                keys.push(key);
            }
        }
        keys.sort();
        Ok(keys)
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(encode(key))
    }
}

/// A key as a file name: letters, digits, `-`, `_` kept; every other byte
/// as `%XX`, so `/`, `.` and `..` can never leave the folder.
fn encode(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 8);
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push('%');
    }
    out
}

fn decode(name: &str) -> Option<String> {
    if name == "%" {
        return Some(String::new());
    }
    let mut bytes = Vec::with_capacity(name.len());
    let mut it = name.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hi = char::from(it.next()?).to_digit(16)?;
            let lo = char::from(it.next()?).to_digit(16)?;
            bytes.push(u8::try_from(hi * 16 + lo).ok()?);
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_file_names_and_stay_inside() {
        for k in ["u/abc/c/0190-x", "../etc/passwd", "", "网格", "a.b%c"] {
            let name = encode(k);
            assert!(!name.contains('/') && name != "." && name != "..", "{name}");
            assert_eq!(decode(&name).as_deref(), Some(k));
        }
    }

    #[test]
    fn values_are_replaced_whole_and_a_crash_before_the_rename_keeps_the_old_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let s = FileStore::open(dir.path()).expect("open");
        s.set("u/1/outbox", b"old").expect("set");
        // A write that died before its rename leaves only a partial file.
        fs::write(
            dir.path()
                .join(format!("{}{PARTIAL}", encode("u/1/outbox"))),
            b"ne",
        )
        .expect("partial");
        assert_eq!(
            s.get("u/1/outbox").expect("get").as_deref(),
            Some(&b"old"[..])
        );
        assert_eq!(s.keys("u/1/").expect("keys"), vec!["u/1/outbox".to_owned()]);
        s.set("u/1/outbox", b"new").expect("set");
        assert_eq!(
            s.get("u/1/outbox").expect("get").as_deref(),
            Some(&b"new"[..])
        );
        s.delete("u/1/outbox").expect("delete");
        s.delete("u/1/outbox").expect("deleting twice is fine");
        assert_eq!(s.get("u/1/outbox").expect("get"), None);
    }
}
