//! A bulk load of the registers into PostgreSQL: every row by binary
//! `COPY`, the next part of a batch encoded while the server takes the
//! last.
//!
//! The loader takes each batch from the source and encodes its rows a
//! part at a time ([`crate::bulk_rows`], [`BinaryRows`]); writer tasks
//! run the `COPY`s. Into a register that has records, one writer owns the
//! load's one transaction. Into an empty register, two writers on
//! connections of their own, each `COPY` committing by itself, all or
//! nothing kept by undoing ([`first_load`]).

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;
use tokio::sync::mpsc;

use ytcs_core::register::{Event, HistoryItem, Household, InsuranceCard, Move, Person};

use crate::bulk_rows::{self, BulkTable, Field, Stamp};
use crate::pg_copy::{column_types, copy_all, BinaryRows};
use crate::pg_remake::{self, Remade};
use crate::registers::{name_token_rows, BatchSource, RegisterBatch};
use crate::{PgStore, StoreError};

/// Rows a `COPY` carries at most (an event is about 140 bytes in it).
const ROWS_PER_COPY: usize = 100_000;

/// `COPY`s encoded and not yet sent, at most: the encoder's lead.
const LEAD: usize = 8;

/// One step of the writer.
enum Step {
    /// A table's rows.
    Copy {
        table: &'static BulkTable,
        bytes: Vec<u8>,
    },
    /// The digests of persons of earlier batches that this one adds to.
    ForgetDigests(Vec<i64>),
}

/// The column types of the tables a load fills, looked up once.
struct Types {
    of: Vec<(&'static str, Vec<u32>)>,
}

impl Types {
    async fn read(conn: &mut sqlx::PgConnection) -> Result<Types, StoreError> {
        let mut of = Vec::new();
        for t in TABLES {
            of.push((t.name, column_types(conn, t.name, t.columns).await?));
        }
        Ok(Types { of })
    }

    fn rows(&self, table: &'static BulkTable) -> BinaryRows {
        let types = (self.of.iter())
            .find(|(name, _)| *name == table.name)
            .map(|(_, types)| types.clone())
            .unwrap_or_default();
        BinaryRows::new(table.name, table.columns, types)
    }
}

const TABLES: [&BulkTable; 8] = [
    &bulk_rows::HOUSEHOLD,
    &bulk_rows::PERSON,
    &bulk_rows::TOKEN,
    &bulk_rows::MOVE,
    &bulk_rows::CARD,
    &bulk_rows::HISTORY,
    &bulk_rows::EVENT,
    &bulk_rows::DIGEST,
];

/// A part of a batch to encode: a table's rows, at most
/// [`ROWS_PER_COPY`], or the batch's digests. Encoded one at a time as
/// the writers take them, so the writers never wait for a whole batch's
/// encoding.
enum Part<'a> {
    Households(&'a [Household]),
    Persons(&'a [Person]),
    Moves(&'a [Move]),
    Cards(&'a [InsuranceCard]),
    History(&'a [HistoryItem]),
    Events(&'a [Event]),
    Digests(&'a RegisterBatch),
}

/// A batch's parts: its rows table by table, parents first (a person's
/// name words with the person), then its persons' digests.
fn parts(b: &RegisterBatch) -> Vec<Part<'_>> {
    let n = ROWS_PER_COPY;
    (b.households.chunks(n).map(Part::Households))
        .chain(b.persons.chunks(n).map(Part::Persons))
        .chain(b.moves.chunks(n).map(Part::Moves))
        .chain(b.cards.chunks(n).map(Part::Cards))
        .chain(b.history.chunks(n).map(Part::History))
        .chain(b.events.chunks(n).map(Part::Events))
        .chain([Part::Digests(b)])
        .collect()
}

/// `items` as rows of `table`.
fn encoded<'a, T: 'a, const N: usize>(
    types: &Types,
    table: &'static BulkTable,
    items: &'a [T],
    row: impl Fn(&'a T) -> [Field<'a>; N],
) -> Result<Step, StoreError> {
    let mut rows = types.rows(table);
    for item in items {
        rows.row(&row(item))?;
    }
    Ok(Step::Copy {
        table,
        bytes: rows.finish(),
    })
}

/// A part's steps.
fn steps(types: &Types, part: Part<'_>, stamp: Stamp<'_>) -> Result<Vec<Step>, StoreError> {
    Ok(match part {
        Part::Households(h) => vec![encoded(
            types,
            &bulk_rows::HOUSEHOLD,
            h,
            bulk_rows::household,
        )?],
        Part::Persons(p) => {
            let tokens = name_token_rows(p);
            vec![
                encoded(types, &bulk_rows::PERSON, p, |p| {
                    bulk_rows::person(p, stamp)
                })?,
                encoded(types, &bulk_rows::TOKEN, &tokens, bulk_rows::token)?,
            ]
        }
        Part::Moves(m) => vec![encoded(types, &bulk_rows::MOVE, m, bulk_rows::moved)?],
        Part::Cards(c) => vec![encoded(types, &bulk_rows::CARD, c, bulk_rows::card)?],
        Part::History(h) => vec![encoded(types, &bulk_rows::HISTORY, h, bulk_rows::history)?],
        Part::Events(e) => vec![encoded(types, &bulk_rows::EVENT, e, |e| {
            bulk_rows::event(e, stamp)
        })?],
        Part::Digests(b) => {
            let (digests, others) = crate::register_digest::of_batch(b);
            let mut steps = vec![Step::ForgetDigests(others)];
            for chunk in digests.chunks(ROWS_PER_COPY) {
                steps.push(encoded(
                    types,
                    &bulk_rows::DIGEST,
                    chunk,
                    bulk_rows::digest,
                )?);
            }
            steps
        }
    })
}

async fn run(conn: &mut sqlx::PgConnection, step: Step) -> Result<(), StoreError> {
    match step {
        Step::Copy { table, bytes } => {
            let statement = format!(
                "COPY {} ({}) FROM STDIN (FORMAT binary)",
                table.name,
                table.columns.join(", ")
            );
            copy_all(conn, &statement, &bytes).await
        }
        Step::ForgetDigests(persons) => {
            sqlx::query("DELETE FROM register_digest WHERE person_id = ANY($1)")
                .bind(&persons)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
    }
}

/// Loads `source` into `store`, stamped `by`, all or nothing: into a
/// register that has records in one transaction, into an empty one
/// through [`first_load`].
pub(crate) async fn load(
    store: &PgStore,
    source: &mut dyn BatchSource,
    by: &str,
) -> Result<(), StoreError> {
    let stamp = Stamp { by, at: Utc::now() };
    let mut tx = store.begin_write().await?;
    let types = Types::read(&mut tx).await?;
    let empty: bool = sqlx::query_scalar(&format!("SELECT NOT ({})", any_row()))
        .fetch_one(&mut *tx)
        .await?;
    if empty {
        return first_load(store, tx, &types, source, stamp).await;
    }
    let (send, receive) = mpsc::channel::<Step>(LEAD);
    let writer = tokio::spawn(async move {
        let mut receive = receive;
        while let Some(step) = receive.recv().await {
            run(&mut tx, step).await?;
        }
        Ok::<_, StoreError>(tx)
    });
    let mut forget = Vec::new();
    let encoded = encode_all(source, &types, stamp, &[send], &mut forget, None).await;
    let written = joined(writer.await)?;
    encoded?;
    let mut tx = written?;
    run(&mut tx, Step::ForgetDigests(forget)).await?;
    pg_remake::settle(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes each batch from `source`, encodes its steps and hands them to
/// the writers in turn; the digests of persons of earlier batches that a
/// batch adds to are gathered in `forget`. Stops early when `stop` is
/// raised (a writer failed) or a writer is gone.
async fn encode_all(
    source: &mut dyn BatchSource,
    types: &Types,
    stamp: Stamp<'_>,
    writers: &[mpsc::Sender<Step>],
    forget: &mut Vec<i64>,
    stop: Option<&AtomicBool>,
) -> Result<(), StoreError> {
    let mut turn = 0usize;
    let (mut asking, mut encoding, mut waiting) = (0.0, 0.0, 0.0);
    loop {
        let t = std::time::Instant::now();
        let Some(b) = source.next_batch()? else {
            break;
        };
        asking += t.elapsed().as_secs_f64();
        for part in parts(b) {
            let t = std::time::Instant::now();
            let steps = steps(types, part, stamp)?;
            encoding += t.elapsed().as_secs_f64();
            let t = std::time::Instant::now();
            for step in steps {
                if let Step::ForgetDigests(persons) = step {
                    forget.extend(persons);
                    continue;
                }
                if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                    return Ok(());
                }
                // The writer with room, else the next in turn.
                let mut step = Some(step);
                for k in 0..writers.len() {
                    let w = &writers[(turn + k) % writers.len()];
                    match w.try_reserve() {
                        Ok(permit) => {
                            permit.send(step.take().expect("sent once"));
                            turn = (turn + k + 1) % writers.len();
                            break;
                        }
                        Err(mpsc::error::TrySendError::Closed(())) => return Ok(()),
                        Err(mpsc::error::TrySendError::Full(())) => {}
                    }
                }
                if let Some(step) = step {
                    let w = &writers[turn];
                    turn = (turn + 1) % writers.len();
                    if w.send(step).await.is_err() {
                        // The writer stopped: its error is the load's.
                        return Ok(());
                    }
                }
            }
            // A source faster than the writers never fills their queues,
            // and this loop would never give the thread back.
            tokio::task::yield_now().await;
            waiting += t.elapsed().as_secs_f64();
        }
        tracing::debug!(
            asking,
            encoding,
            waiting,
            "bulk load: a batch handed to the writers"
        );
    }
    Ok(())
}

/// A writer task's result, its panic an error.
fn joined<T>(
    r: Result<Result<T, StoreError>, tokio::task::JoinError>,
) -> Result<Result<T, StoreError>, StoreError> {
    r.map_err(|e| StoreError::Invalid(format!("a bulk load's writer failed: {e}")))
}

/// `EXISTS (SELECT 1 FROM t) OR …` over the tables a load fills.
fn any_row() -> String {
    TABLES
        .map(|t| format!("EXISTS (SELECT 1 FROM {})", t.name))
        .join(" OR ")
}

/// Writers of a first load, each on its own connection.
const WRITERS: usize = 2;

/// What marks a first load under way: a comment on `register_digest`
/// holding, as JSON, what the load took away and makes again
/// ([`Remade`]). (SQLite's first load marks itself in a file beside the database.)
const MARK: &str = "ytcs register load under way: ";

/// A load into an empty register, [`WRITERS`] connections at once.
///
/// Why: the server takes a `COPY` on one core, and took 86 % of it at
/// 1 M persons while the other core idled (the generator and the encoder
/// need a tenth of it). PostgreSQL cannot share one transaction between
/// connections, so each `COPY` commits by itself.
///
/// All or nothing is kept by undoing, since the register was empty (as
/// SQLite's first load does, `registers_load.rs`): the first transaction
/// takes away the keys, indexes, foreign keys and digest triggers
/// ([`pg_remake::take_away`]) and leaves [`MARK`] listing them; after the
/// rows, they are made on two connections ([`pg_remake::build`]), and
/// the last transaction turns the triggers on, forgets the digests of
/// persons whose records spread over batches, and removes the mark. A
/// failure on the way empties the register's tables and makes what is
/// missing ([`undo`]); a crash leaves the mark, and the next connect
/// of the store does the same ([`recover`]). Meanwhile other readers see
/// the register grow; `ytcs generate` and `bench registers` are the loads
/// of an empty register, and nothing else writes it meanwhile. The
/// writers' commits do not wait for the disk (`synchronous_commit =
/// off`): the last transaction's commit does, and a crash before it is
/// undone anyway.
async fn first_load(
    store: &PgStore,
    mut tx: crate::common::WriteTx<sqlx::Postgres>,
    types: &Types,
    source: &mut dyn BatchSource,
    stamp: Stamp<'_>,
) -> Result<(), StoreError> {
    // Held until the load ends (its connection closed with it, so a
    // crash lets go of it too): another process's connect does not undo
    // a load under way.
    let mut guard = store.pool.acquire().await?.detach();
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(LOADING)
        .execute(&mut guard)
        .await?;
    let remade = pg_remake::take_away(&mut tx).await?;
    set_mark(&mut tx, Some(&remade)).await?;
    tx.commit().await?;
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let mut senders = Vec::new();
    let mut writers = Vec::new();
    for _ in 0..WRITERS {
        let (send, mut receive) = mpsc::channel::<Step>(LEAD / WRITERS);
        senders.push(send);
        let conn = store.pool.acquire().await?;
        let stop = stop.clone();
        writers.push(tokio::spawn(async move {
            // The connection is closed after, not given back to the pool
            // with commits that do not wait for the disk.
            let mut conn = conn.detach();
            sqlx::query("SET synchronous_commit = off")
                .execute(&mut conn)
                .await?;
            while let Some(step) = receive.recv().await {
                if let Err(e) = run(&mut conn, step).await {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
            Ok(())
        }));
    }
    let mut forget = Vec::new();
    let encoded = encode_all(source, types, stamp, &senders, &mut forget, Some(&stop)).await;
    drop(senders);
    let mut written = Ok(());
    for w in writers {
        if let Err(e) = joined(w.await).and_then(|r| r) {
            if written.is_ok() {
                written = Err(e);
            }
        }
    }
    let finished = match (encoded, written) {
        (Err(e), _) | (Ok(()), Err(e)) => Err(e),
        (Ok(()), Ok(())) => finish(store, &remade, forget).await,
    };
    if let Err(e) = finished {
        if let Err(undone) = undo(store, false).await {
            // The mark stays: the next connect undoes the load.
            tracing::error!(error = %undone, "undoing a failed load of the registers");
        }
        return Err(e);
    }
    drop(guard);
    Ok(())
}

/// A first load's last transaction.
async fn finish(store: &PgStore, remade: &[Remade], forget: Vec<i64>) -> Result<(), StoreError> {
    tracing::debug!("bulk load: every row written");
    pg_remake::build(store, remade).await?;
    let mut tx = store.begin_write().await?;
    run(&mut tx, Step::ForgetDigests(forget)).await?;
    pg_remake::finish(&mut tx, remade).await?;
    pg_remake::settle(&mut tx).await?;
    set_mark(&mut tx, None).await?;
    tx.commit().await?;
    tracing::debug!("bulk load: indexes, keys and statistics made");
    Ok(())
}

/// Sets (or with `None`, removes) [`MARK`].
async fn set_mark(
    conn: &mut sqlx::PgConnection,
    remade: Option<&[Remade]>,
) -> Result<(), StoreError> {
    let text = match remade {
        Some(remade) => {
            let json =
                serde_json::to_string(remade).map_err(|e| StoreError::Invalid(e.to_string()))?;
            format!("'{}'", format!("{MARK}{json}").replace('\'', "''"))
        }
        None => "NULL".into(),
    };
    sqlx::query(&format!("COMMENT ON TABLE register_digest IS {text}"))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What [`MARK`] lists, if a first load is under way.
async fn mark(conn: &mut sqlx::PgConnection) -> Result<Option<Vec<Remade>>, StoreError> {
    let comment: Option<String> =
        sqlx::query_scalar("SELECT obj_description('register_digest'::regclass, 'pg_class')")
            .fetch_one(&mut *conn)
            .await?;
    let Some(json) = comment.as_deref().and_then(|c| c.strip_prefix(MARK)) else {
        return Ok(None);
    };
    serde_json::from_str(json)
        .map(Some)
        .map_err(|e| StoreError::Invalid(format!("the mark of a register load: {e}")))
}

/// The advisory lock a first load holds while it runs.
const LOADING: i64 = 0x7974_6373_4c4f_4144; // "ytcsLOAD"

/// Empties the register's tables and makes again what the marked first
/// load took away, in one transaction; nothing to do without a mark, or
/// (`unless_running`) while the load that left it still runs.
async fn undo(store: &PgStore, unless_running: bool) -> Result<bool, StoreError> {
    let mut tx = store.begin_write().await?;
    if unless_running {
        let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
            .bind(LOADING)
            .fetch_one(&mut *tx)
            .await?;
        if !free {
            return Ok(false);
        }
    }
    let Some(remade) = mark(&mut tx).await? else {
        return Ok(false);
    };
    let tables: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
    sqlx::query(&format!("TRUNCATE {}", tables.join(", ")))
        .execute(&mut *tx)
        .await?;
    pg_remake::undo(&mut tx, &remade).await?;
    set_mark(&mut tx, None).await?;
    tx.commit().await?;
    Ok(true)
}

/// At connect: undoes a first load that a crash interrupted (not one
/// that another process is running).
pub(crate) async fn recover(store: &PgStore) -> Result<(), StoreError> {
    if undo(store, true).await? {
        tracing::warn!("a load of the registers was interrupted; the register is empty again");
    }
    Ok(())
}

/// Writes the digests of `b`'s persons by binary `COPY` (forgetting those
/// of persons outside it whose records it holds): a remake's step.
pub(crate) async fn write_digests(
    conn: &mut sqlx::PgConnection,
    b: &RegisterBatch,
) -> Result<(), StoreError> {
    let table = &bulk_rows::DIGEST;
    let types = column_types(conn, table.name, table.columns).await?;
    let (digests, others) = crate::register_digest::of_batch(b);
    if !others.is_empty() {
        run(conn, Step::ForgetDigests(others)).await?;
    }
    let mut rows = BinaryRows::new(table.name, table.columns, types);
    for d in &digests {
        rows.row(&bulk_rows::digest(d))?;
    }
    let bytes = rows.finish();
    run(conn, Step::Copy { table, bytes }).await
}
