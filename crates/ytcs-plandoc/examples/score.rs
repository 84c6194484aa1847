//! Prints the scorer's figures for each corpus directory given (documents
//! and totals), as `ytcs plan score DIR` does, without building the CLI.
fn main() {
    for dir in std::env::args().skip(1) {
        match ytcs_plandoc::score::score_dir(std::path::Path::new(&dir)) {
            Ok(report) => println!("{dir}:\n{}", ytcs_plandoc::score::render(&report, true)),
            Err(e) => eprintln!("{dir}: {e}"),
        }
    }
}
