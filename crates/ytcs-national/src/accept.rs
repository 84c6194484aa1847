//! The warehouse's side: a publication in `incoming/` is checked whole —
//! every file's bytes, checksum, columns and rows against its manifest,
//! and every unit it names owned by the province — and only then
//! becomes the province's partition: its files moved into place, its
//! manifest put over the previous one by one rename, the previous files
//! removed. A refused publication leaves the previous partition as it
//! was.

use std::path::{Path, PathBuf};

use ytcs_refdata::AdminUnits;

use crate::files;
use crate::layout::{self, Kind, Manifest, SCHEMA_VERSION};
use crate::owned::{owned_codes, refuse_foreign};
use crate::NationalError;

/// The outcome of an accepted publication.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// The manifest now published.
    pub manifest: Manifest,
    /// Whether it held the same contents as the one before (nothing was
    /// replaced: a re-export of unchanged data).
    pub unchanged: bool,
}

/// The name of an incoming publication's own manifest.
pub const INCOMING_MANIFEST: &str = "manifest.json";

/// Reads a manifest file.
pub fn read_manifest(path: &Path) -> Result<Manifest, NationalError> {
    let text = std::fs::read(path).map_err(|e| NationalError::io(path, e))?;
    serde_json::from_slice(&text).map_err(|source| NationalError::Manifest {
        path: path.display().to_string(),
        source,
    })
}

/// The published manifests of the warehouse at `root`, by province.
pub fn published(root: &Path) -> Result<Vec<Manifest>, NationalError> {
    let dir = root.join("manifests");
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(NationalError::io(&dir, e)),
    };
    for e in entries {
        let e = e.map_err(|er| NationalError::io(&dir, er))?;
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with("province=") && name.ends_with(".json") {
            out.push(read_manifest(&e.path())?);
        }
    }
    out.sort_by(|a, b| a.province.cmp(&b.province));
    Ok(out)
}

/// Which column of a kind names units its province must own (moves name
/// the communes a person left or went to, in any province: not checked).
fn unit_column(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Values => Some("org"),
        Kind::Persons => Some("commune"),
        Kind::Events => Some("unit"),
        Kind::Moves | Kind::Cards => None,
    }
}

/// A lock on a province's partition while a publication is accepted.
struct Lock(PathBuf);

impl Lock {
    fn take(root: &Path, province: &str) -> Result<Lock, NationalError> {
        let dir = root.join("incoming");
        std::fs::create_dir_all(&dir).map_err(|e| NationalError::io(&dir, e))?;
        let path = dir.join(format!("province={province}.lock"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(_) => Ok(Lock(path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(NationalError::Refused(format!(
                    "another publication of province {province} is being accepted ({} exists; remove it if no publication runs)",
                    path.display()
                )))
            }
            Err(e) => Err(NationalError::io(&path, e)),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Accepts the publication in `incoming/province=P/<publication>/` whole,
/// or refuses it and leaves the published partition as it was. The
/// incoming folder is removed either way.
pub fn accept(
    root: &Path,
    admin: &AdminUnits,
    province: &str,
    publication: &str,
) -> Result<Accepted, NationalError> {
    let incoming = root.join(layout::incoming_folder(province, publication));
    let outcome = accept_from(root, &incoming, admin, province);
    let _ = std::fs::remove_dir_all(&incoming);
    outcome
}

fn accept_from(
    root: &Path,
    incoming: &Path,
    admin: &AdminUnits,
    province: &str,
) -> Result<Accepted, NationalError> {
    let _lock = Lock::take(root, province)?;
    let manifest = read_manifest(&incoming.join(INCOMING_MANIFEST))?;
    if manifest.province != province {
        return Err(NationalError::Refused(format!(
            "the manifest is of province {}, not {province}",
            manifest.province
        )));
    }
    if manifest.schema_version != SCHEMA_VERSION {
        return Err(NationalError::Refused(format!(
            "files of schema version {}, this warehouse reads {SCHEMA_VERSION}",
            manifest.schema_version
        )));
    }
    let (_, owned) = owned_codes(admin, province)?;
    for f in &manifest.files {
        let expected = f.kind.folder(province, f.year);
        if !f.path.starts_with(&format!("{expected}/")) || f.path.contains("..") {
            return Err(NationalError::Refused(format!(
                "{} is not under {expected}",
                f.path
            )));
        }
        files::check(incoming, f)?;
        if let Some(column) = unit_column(f.kind) {
            let found = files::distinct_texts(incoming, f, column)?;
            refuse_foreign(&f.path, &found, &owned, province)?;
        }
    }
    let target = root.join(layout::manifest_path(province));
    let before = if target.exists() {
        Some(read_manifest(&target)?)
    } else {
        None
    };
    if let Some(b) = &before {
        if b.same_contents(&manifest) {
            return Ok(Accepted {
                manifest: b.clone(),
                unchanged: true,
            });
        }
    }
    for f in &manifest.files {
        let from = incoming.join(&f.path);
        let to = root.join(&f.path);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| NationalError::io(dir, e))?;
        }
        std::fs::rename(&from, &to).map_err(|e| NationalError::io(&to, e))?;
    }
    write_manifest(&target, &manifest)?;
    sweep(root, &manifest);
    Ok(Accepted {
        manifest,
        unchanged: false,
    })
}

/// Writes a manifest by a rename over the previous (synced first).
pub fn write_manifest(path: &Path, m: &Manifest) -> Result<(), NationalError> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| NationalError::io(dir, e))?;
    }
    let tmp = path.with_extension("json.tmp");
    let text = serde_json::to_vec_pretty(m).map_err(|source| NationalError::Manifest {
        path: path.display().to_string(),
        source,
    })?;
    let mut f = std::fs::File::create(&tmp).map_err(|e| NationalError::io(&tmp, e))?;
    f.write_all(&text).map_err(|e| NationalError::io(&tmp, e))?;
    f.sync_all().map_err(|e| NationalError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| NationalError::io(path, e))?;
    Ok(())
}

/// Removes the province's files that `m` does not list: the previous
/// publication's, and any left by an acceptance cut off between moving
/// its files and writing its manifest.
fn sweep(root: &Path, m: &Manifest) {
    let listed: std::collections::HashSet<PathBuf> =
        m.files.iter().map(|f| root.join(&f.path)).collect();
    for kind in Kind::ALL {
        let dir = root.join(kind.folder(&m.province, None));
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|x| x == "parquet")
                    && !listed.contains(&path)
                {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
    }
}
