//! Synthetic data: the demo's network of province 51 ([`demo_network`]) and
//! its aggregate data ([`demo`]), generated registers of a province
//! ([`generate`]), the registers benchmark ([`bench_registers`]) and what
//! the benchmarks share ([`bench`], [`rng`]).
//!
//! Everything here is deterministic from a seed and writes only through
//! the `Store` trait: no SQL of its own.
//! Nothing but the binary and tests depend on this crate.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod bench;
pub mod bench_registers;
pub mod demo;
pub mod demo_network;
pub mod generate;
pub mod rng;
