//! Plan documents → plans.
