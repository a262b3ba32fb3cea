//! Prints the model the `models` target generates from a file of bytes, to
//! read (and keep as a regression test) what a crashing input meant.

#[path = "../../tests/it/support/generate.rs"]
mod generate;

fn main() {
    for path in std::env::args().skip(1) {
        match std::fs::read(&path) {
            Ok(bytes) => print!("{}", generate::model(&bytes)),
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
