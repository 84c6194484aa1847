//! What a first load into an empty PostgreSQL register takes away from
//! its tables (every index, the primary keys' too, the foreign keys, the
//! digest's triggers) and makes again at its end, on [`BUILDERS`]
//! connections at once.
//!
//! Why everything: a `COPY` keeps each index up row by row, and that was
//! most of the server's work. At 1 M persons (13.5 M events, one
//! connection) the events took 13.1 s by `COPY` without an index, 28.1 s
//! with their primary key, 47.9 s with the indexes led by the person as
//! well, while building those three after took 8.5 s; a profile of a
//! load showed three quarters of the server's time in `btinsert`. With
//! two writers the keys of an index led by an ascending id no longer come
//! in order (each writer's land inside the other's), so keeping the
//! primary keys and the person's indexes (`KEPT_IN_A_LOAD`, as SQLite's
//! load does) cost more still: measured the same day, 1 M persons loaded
//! in 64 s with everything taken away and 88–91 s keeping them; at 10 M
//! the rows took 339 s against 37 s a batch (about 740 s) keeping them.
//! The price is the end: at 10 M, 135 M events sorted four times on disk
//! (their primary key took 111 s, the person's index 138 s, two at once).
//!
//! Each thing taken away is a [`Remade`]; the list is the first load's
//! mark (`pg_bulk.rs`), so that [`undo`] can empty the tables and make
//! everything again after a crash at any point, whatever was already made.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::registers::{bulk_tables_sql, BULK_TABLES};
use crate::{PgStore, StoreError};

/// Connections that make the indexes and check the keys at a first
/// load's end.
const BUILDERS: usize = 2;

/// The one index a first load keeps up row by row: a partial index of
/// the births (about one event in a hundred), which costs the `COPY`s
/// little and would cost a scan of every event to make again (60 s at
/// 10 M persons).
const KEPT: &str = "'person_event_birth_mother'";

/// What a first load took away and makes again.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Remade {
    table: String,
    name: String,
    what: What,
    /// The statement that makes it (for a key, its index's
    /// `CREATE UNIQUE INDEX`; for a foreign key, its definition).
    make: String,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
enum What {
    PrimaryKey,
    Unique,
    Index,
    ForeignKey,
    Trigger,
}

impl Remade {
    /// Statements that take it away if it is there (not a trigger's:
    /// turning one on twice does no harm).
    fn drop(&self) -> Vec<String> {
        let (table, name) = (&self.table, &self.name);
        match self.what {
            What::PrimaryKey | What::Unique => vec![
                format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"),
                format!("DROP INDEX IF EXISTS {name}"),
            ],
            What::Index => vec![format!("DROP INDEX IF EXISTS {name}")],
            What::ForeignKey => {
                vec![format!(
                    "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"
                )]
            }
            What::Trigger => Vec::new(),
        }
    }

    /// Makes a key of its index (built by [`Remade::index`]).
    fn attach(&self) -> Option<String> {
        let kind = match self.what {
            What::PrimaryKey => "PRIMARY KEY",
            What::Unique => "UNIQUE",
            _ => return None,
        };
        Some(format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {kind} USING INDEX {}",
            self.table, self.name, self.name
        ))
    }

    /// The statement that builds an index (a key's own included).
    fn index(&self) -> Option<&str> {
        matches!(self.what, What::PrimaryKey | What::Unique | What::Index).then_some(&self.make)
    }

    /// Adds a foreign key, checked (`valid`) or not.
    fn foreign_key(&self, valid: bool) -> Option<String> {
        (self.what == What::ForeignKey).then(|| {
            format!(
                "ALTER TABLE {} ADD CONSTRAINT {} {}{}",
                self.table,
                self.name,
                self.make,
                if valid { "" } else { " NOT VALID" }
            )
        })
    }
}

/// The tables a first load fills: the register's and the digests.
fn tables_sql() -> String {
    format!("{}, 'register_digest'", bulk_tables_sql())
}

/// In a first load's first transaction: takes away the keys, indexes
/// (but [`KEPT`]), foreign keys and digest triggers of the tables it fills; returns what
/// to make again, in order (indexes and keys, foreign keys, triggers).
pub(crate) async fn take_away(tx: &mut sqlx::PgConnection) -> Result<Vec<Remade>, StoreError> {
    let tables = tables_sql();
    let mut remade = Vec::new();
    let keys: Vec<(String, String, String, String)> = sqlx::query_as(&format!(
        "SELECT c.conrelid::regclass::text, quote_ident(c.conname), c.contype::text, \
         CASE WHEN c.contype = 'f' THEN pg_get_constraintdef(c.oid) \
         ELSE pg_get_indexdef(c.conindid) END \
         FROM pg_constraint c WHERE c.contype IN ('p', 'u', 'f') \
         AND c.connamespace = current_schema()::regnamespace \
         AND c.conrelid::regclass::text IN ({tables}) ORDER BY 1, 2"
    ))
    .fetch_all(&mut *tx)
    .await?;
    for (table, name, kind, make) in keys {
        let what = match kind.as_str() {
            "p" => What::PrimaryKey,
            "u" => What::Unique,
            _ => What::ForeignKey,
        };
        remade.push(Remade {
            table,
            name,
            what,
            make,
        });
    }
    let indexes: Vec<(String, String, String)> = sqlx::query_as(&format!(
        "SELECT i.tablename::text, quote_ident(i.indexname), i.indexdef FROM pg_indexes i \
         WHERE i.schemaname = current_schema() AND i.tablename IN ({tables}) \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contype IN ('p', 'u', 'x') \
         AND c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) \
         AND i.indexname NOT IN ({KEPT}) ORDER BY 1, 2"
    ))
    .fetch_all(&mut *tx)
    .await?;
    for (table, name, make) in indexes {
        remade.push(Remade {
            table,
            name,
            what: What::Index,
            make,
        });
    }
    for (table, trigger) in DIGEST_TRIGGERS {
        remade.push(Remade {
            table: table.into(),
            name: trigger.into(),
            what: What::Trigger,
            make: format!("ALTER TABLE {table} ENABLE TRIGGER {trigger}"),
        });
    }
    // Foreign keys after the keys they refer to (taken away before them).
    remade.sort_by_key(|r| match r.what {
        What::Index | What::PrimaryKey | What::Unique => 0,
        What::ForeignKey => 1,
        What::Trigger => 2,
    });
    for r in remade.iter().rev() {
        for statement in r.drop() {
            sqlx::query(&statement).execute(&mut *tx).await?;
        }
    }
    for (table, trigger) in DIGEST_TRIGGERS {
        sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
            .execute(&mut *tx)
            .await?;
    }
    Ok(remade)
}

/// The digest's triggers on the tables a load fills: a first load
/// writes the digests itself.
const DIGEST_TRIGGERS: [(&str, &str); 4] = [
    ("person", "register_digest_person"),
    ("person_move", "register_digest_move"),
    ("insurance_card", "register_digest_card"),
    ("person_event", "register_digest_event"),
];

/// At a first load's end, outside its last transaction: builds the
/// indexes (the keys' own too) on [`BUILDERS`] connections, the largest
/// tables' first; makes the keys of their indexes and adds the foreign
/// keys unchecked (one short transaction); then checks the foreign keys,
/// again on [`BUILDERS`] connections (a check locks neither the other
/// tables nor the table it refers to against another check). Each
/// statement commits by itself; the mark stays until the last
/// transaction (`pg_bulk.rs`), so a failure or a crash on the way is
/// undone.
pub(crate) async fn build(store: &PgStore, remade: &[Remade]) -> Result<(), StoreError> {
    let mut sizes = std::collections::HashMap::new();
    for table in BULK_TABLES.iter().copied().chain(["register_digest"]) {
        let size: i64 = sqlx::query_scalar("SELECT pg_relation_size($1::regclass)")
            .bind(table)
            .fetch_one(&store.pool)
            .await?;
        sizes.insert(table.to_string(), size);
    }
    let size = |r: &Remade| sizes.get(r.table.as_str()).copied().unwrap_or(0);
    let mut indexes: Vec<&Remade> = remade.iter().filter(|r| r.index().is_some()).collect();
    // Longest first, so that no connection is left alone with a long one.
    indexes.sort_by_key(|r| std::cmp::Reverse(size(r)));
    run_on_builders(
        store,
        indexes
            .iter()
            .filter_map(|r| r.index().map(str::to_string))
            .collect(),
    )
    .await?;
    let mut tx = store.pool.begin().await?;
    for statement in remade
        .iter()
        .filter_map(|r| r.attach().or_else(|| r.foreign_key(false)))
    {
        sqlx::query(&statement).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    let mut keys: Vec<&Remade> = remade
        .iter()
        .filter(|r| r.what == What::ForeignKey)
        .collect();
    keys.sort_by_key(|r| std::cmp::Reverse(size(r)));
    run_on_builders(
        store,
        keys.iter()
            .map(|r| format!("ALTER TABLE {} VALIDATE CONSTRAINT {}", r.table, r.name))
            .collect(),
    )
    .await
}

/// Runs `statements` on [`BUILDERS`] connections, each taking the next
/// when it is done with one; the first error stops the rest.
async fn run_on_builders(store: &PgStore, statements: Vec<String>) -> Result<(), StoreError> {
    let queue = Arc::new(Mutex::new(VecDeque::from(statements)));
    let mut builders = Vec::new();
    for _ in 0..BUILDERS {
        let mut conn = store.pool.acquire().await?;
        let queue = queue.clone();
        builders.push(tokio::spawn(async move {
            // Sorts in more memory than PostgreSQL's default 64 MB (at 1 M
            // persons the events' unit index took 14.7 s in 64 MB, 14.5 s
            // in 256 MB, 18.7 s in 1 GB: a larger sort misses the caches).
            sqlx::query("SET maintenance_work_mem = '256MB'")
                .execute(&mut *conn)
                .await?;
            let outcome = async {
                loop {
                    let next = queue.lock().expect("not poisoned").pop_front();
                    let Some(statement) = next else {
                        return Ok(());
                    };
                    let t = std::time::Instant::now();
                    if let Err(e) = sqlx::query(&statement).execute(&mut *conn).await {
                        queue.lock().expect("not poisoned").clear();
                        return Err(StoreError::from(e));
                    }
                    tracing::debug!(
                        statement,
                        seconds = t.elapsed().as_secs_f64(),
                        "bulk load: made again"
                    );
                }
            }
            .await;
            sqlx::query("RESET maintenance_work_mem")
                .execute(&mut *conn)
                .await?;
            outcome
        }));
    }
    let mut result = Ok(());
    for b in builders {
        let done = b
            .await
            .map_err(|e| StoreError::Invalid(format!("a bulk load's builder failed: {e}")))
            .and_then(|r| r);
        if let (Err(e), true) = (done, result.is_ok()) {
            result = Err(e);
        }
    }
    result
}

/// In a first load's last transaction: turns the digest's triggers on
/// again.
pub(crate) async fn finish(
    tx: &mut sqlx::PgConnection,
    remade: &[Remade],
) -> Result<(), StoreError> {
    for r in remade.iter().filter(|r| r.what == What::Trigger) {
        sqlx::query(&r.make).execute(&mut *tx).await?;
    }
    Ok(())
}

/// In an undo's transaction, the tables emptied: takes away whatever of
/// `remade` a load's end had already made, then makes it all.
pub(crate) async fn undo(tx: &mut sqlx::PgConnection, remade: &[Remade]) -> Result<(), StoreError> {
    for r in remade.iter().rev() {
        for statement in r.drop() {
            sqlx::query(&statement).execute(&mut *tx).await?;
        }
    }
    for r in remade {
        let statements: Vec<String> = match r.what {
            What::PrimaryKey | What::Unique => {
                vec![r.make.clone(), r.attach().expect("a key attaches")]
            }
            What::Index | What::Trigger => vec![r.make.clone()],
            What::ForeignKey => vec![r.foreign_key(true).expect("a foreign key")],
        };
        for statement in statements {
            sqlx::query(&statement).execute(&mut *tx).await?;
        }
    }
    Ok(())
}

/// After any load, in its last transaction: sets the tables' id
/// sequences past the loaded ids and gathers statistics.
pub(crate) async fn settle(tx: &mut sqlx::PgConnection) -> Result<(), StoreError> {
    for t in [
        "household",
        "person",
        "person_move",
        "insurance_card",
        "health_history",
        "person_event",
    ] {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {t}), 1))"
        ))
        .execute(&mut *tx)
        .await?;
    }
    // Statistics for the planner, in the load's transaction (ANALYZE
    // counts its own transaction's rows): until autovacuum came round,
    // a derivation's reads at 10 M persons were planned for 45 M
    // digests and a batch's persons 9 times too many, and scanned the
    // whole digest table (3.4 GB) for each batch.
    sqlx::query(&format!(
        "ANALYZE {}, register_digest",
        BULK_TABLES.join(", ")
    ))
    .execute(&mut *tx)
    .await?;
    Ok(())
}
