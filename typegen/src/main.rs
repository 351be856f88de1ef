//! Writes the shells' types for the phone core's events, effects, effect
//! outputs and view models:
//!
//! ```text
//! gridline-typegen [--kotlin DIR] [--swift DIR] [--schema FILE]
//! ```
//!
//! Kotlin goes into package `cn.gridline.shared` under DIR (crux deletes
//! that package folder first, so nothing else may live there), Swift into a
//! package `SharedTypes` under DIR, and the schema (the registry the two are
//! generated from, as JSON) is what the Python tests read bincode with:
//! crux has no Python generator.

mod swift_keywords;

use anyhow::{Context, bail};
use crux_core::type_generation::facet::{Config, TypeRegistry};
use gridline_core::app::Gridline;
use std::path::PathBuf;

const KOTLIN_PACKAGE: &str = "cn.gridline.shared";
const SWIFT_PACKAGE: &str = "SharedTypes";

#[derive(Default)]
struct Args {
    kotlin: Option<PathBuf>,
    swift: Option<PathBuf>,
    schema: Option<PathBuf>,
}

fn args() -> anyhow::Result<Args> {
    let mut a = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let slot = match flag.as_str() {
            "--kotlin" => &mut a.kotlin,
            "--swift" => &mut a.swift,
            "--schema" => &mut a.schema,
            other => {
                bail!("unknown argument {other:?} (use --kotlin DIR, --swift DIR, --schema FILE)")
            }
        };
        *slot = Some(PathBuf::from(
            it.next().with_context(|| format!("{flag} needs a path"))?,
        ));
    }
    if a.kotlin.is_none() && a.swift.is_none() && a.schema.is_none() {
        bail!("nothing to write: give --kotlin DIR, --swift DIR or --schema FILE");
    }
    Ok(a)
}

fn main() -> anyhow::Result<()> {
    let a = args()?;
    let types = TypeRegistry::new()
        .register_app::<Gridline>()?
        .build()
        .context("collecting the core's types")?;
    if let Some(dir) = &a.kotlin {
        types
            .kotlin(&Config::builder(KOTLIN_PACKAGE, dir).build())
            .with_context(|| format!("writing Kotlin into {}", dir.display()))?;
    }
    if let Some(dir) = &a.swift {
        types
            .swift(&Config::builder(SWIFT_PACKAGE, dir).build())
            .with_context(|| format!("writing Swift into {}", dir.display()))?;
        let file = dir
            .join(SWIFT_PACKAGE)
            .join("Sources")
            .join(SWIFT_PACKAGE)
            .join(format!("{SWIFT_PACKAGE}.swift"));
        let source = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        std::fs::write(&file, swift_keywords::escape(&source))
            .with_context(|| format!("writing {}", file.display()))?;
    }
    if let Some(file) = &a.schema {
        // The registry's keys are structs (namespace and name), which JSON
        // objects cannot have: a list of entries instead.
        let entries: Vec<serde_json::Value> = types
            .registry()
            .into_iter()
            .map(|(name, format)| serde_json::json!({ "type": name, "format": format }))
            .collect();
        let json = serde_json::to_string_pretty(&entries)?;
        std::fs::write(file, json + "\n").with_context(|| format!("writing {}", file.display()))?;
    }
    Ok(())
}
