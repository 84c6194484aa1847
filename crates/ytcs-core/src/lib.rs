//! Domain types and pure rules of ytcs.
//!
//! This crate does no I/O, spawns no tasks and knows no SQL or HTTP: every
//! function here is a pure computation over values, tested hardest. It
//! depends on no other crate of ytcs.
//!
//! Everything is dated. [`Date`] is a civil date without a time zone;
//! "today" is the date in Asia/Ho_Chi_Minh (UTC+7), asked by the caller
//! (this crate reads no clock). A unit is a code plus a validity interval
//! ([`validity`]); its parent links and its lineage (merge, split, rename,
//! level abolished, each with a date and a population weight) are dated
//! too ([`org`]), and every question about the [`hierarchy`] takes the day
//! it is asked for.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod access;
pub mod agency;
pub mod aggregate;
pub mod approval;
pub mod audit;
pub mod calendar;
pub mod cascade;
pub mod criteria;
pub mod expr;
pub mod file_format;
pub mod format;
pub mod formula;
pub mod growth;
pub mod hierarchy;
pub mod indicator;
pub mod lead;
pub mod lifetable;
pub mod network;
pub mod org;
pub mod period;
pub mod period_text;
pub mod plan;
pub mod progress;
pub mod quality;
pub mod register;
pub mod rollup;
pub mod statutory;
pub mod text;
pub mod tracking;
pub mod validity;

pub use chrono::NaiveDate as Date;
