//! Plans read from documents: identity, legal bases, targets, tasks, budget, reporting (contract `ytcs.plan/1`).
