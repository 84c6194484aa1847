//! The demonstration database: the five seed plans (embedded from
//! `data/seeds/`), imported as a user would import them.

use anyhow::{Context, Result};
use ytcs_store::Store;

/// The five real plans ytcs was specified from (see `data/seeds/README.md`).
pub const SEED_PLANS: [(&str, &str); 5] = [
    (
        "000_5ad8db25cf967cbe.txt",
        include_str!("../../../data/seeds/000_5ad8db25cf967cbe.txt"),
    ),
    (
        "001_6c2c492b7eec1205.txt",
        include_str!("../../../data/seeds/001_6c2c492b7eec1205.txt"),
    ),
    (
        "002_5d8771779a960770.txt",
        include_str!("../../../data/seeds/002_5d8771779a960770.txt"),
    ),
    (
        "003_3ea79b4f7be72fab.txt",
        include_str!("../../../data/seeds/003_3ea79b4f7be72fab.txt"),
    ),
    (
        "004_1ec6eb96b9fafe38.txt",
        include_str!("../../../data/seeds/004_1ec6eb96b9fafe38.txt"),
    ),
];

/// Imports the seed plans that are not stored yet; returns how many were new.
pub async fn import_seed_plans(store: &dyn Store) -> Result<usize> {
    let mut new = 0;
    for (name, text) in SEED_PLANS {
        let plan = ytcs_plandoc::parse_bytes(name, text.as_bytes())
            .with_context(|| format!("reading seed plan {name}"))?;
        let (_, created) = store.insert_plan(&plan, text).await?;
        new += usize::from(created);
    }
    Ok(new)
}
