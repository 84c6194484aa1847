//! The reader against the corpus of real unseen plans (`tests/corpus`, see
//! its README): floors at what the reader reached, so that a change that
//! makes it worse fails. Raise them when the reader improves.

use std::path::Path;

use ytcs_plandoc::score::{render, score_dir, Counts};

fn score(split: &str) -> Counts {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(split);
    let report = score_dir(&dir).expect("corpus readable");
    println!("{split}:\n{}", render(&report, true));
    report.total
}

fn at_least(what: &str, got: Option<f64>, floor: f64) {
    let got = got.unwrap_or(0.0);
    assert!(got + 1e-9 >= floor, "{what}: {got:.3} < floor {floor:.3}");
}

#[test]
fn dev_floors() {
    let t = score("dev");
    assert_eq!(t.panics, 0);
    assert_eq!(t.errors, 0);
    assert_eq!(t.baselines_as_targets, 0);
    at_least("dev targets F1", t.targets_f1(), 0.99);
    at_least("dev number", t.number_accuracy(), 1.0);
    at_least("dev date", t.date_accuracy(), 1.0);
    at_least("dev legal bases F1", t.bases_f1(), 0.98);
    at_least("dev budget recall", t.budget_recall(), 1.0);
    at_least("dev issuer", t.issuer_accuracy(), 1.0);
    // No dev text holds a reporting schedule: any duty read is an extra.
    assert_eq!(t.deadlines_found, 0);
}

#[test]
fn heldout_floors() {
    let t = score("heldout");
    assert_eq!(t.panics, 0);
    assert_eq!(t.errors, 0);
    assert_eq!(t.baselines_as_targets, 0);
    at_least("heldout targets F1", t.targets_f1(), 0.99);
    at_least("heldout number", t.number_accuracy(), 1.0);
    at_least("heldout date", t.date_accuracy(), 1.0);
    at_least("heldout legal bases F1", t.bases_f1(), 0.99);
    at_least("heldout signer", t.signer_accuracy(), 1.0);
    at_least("heldout issuer", t.issuer_accuracy(), 0.99);
    at_least("heldout reporting deadlines F1", t.deadlines_f1(), 1.0);
}

#[test]
fn the_five_seeds_stay_at_100_percent() {
    let t = score("seeds");
    assert_eq!(t.documents, 5);
    assert_eq!(t.panics + t.errors, 0);
    for (what, v) in [
        ("targets F1", t.targets_f1()),
        (
            "comparators",
            Some(t.comparator_ok as f64 / t.targets_gold as f64),
        ),
        ("number", t.number_accuracy()),
        ("date", t.date_accuracy()),
        ("signer", t.signer_accuracy()),
        ("legal bases F1", t.bases_f1()),
        ("budget recall", t.budget_recall()),
        ("reporting deadlines F1", t.deadlines_f1()),
    ] {
        assert_eq!(v, Some(1.0), "seeds {what}");
    }
}
