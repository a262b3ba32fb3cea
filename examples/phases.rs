//! Times each stage of the pipeline on one model file, with resident memory:
//! where do the time and the bytes go?
//! `cargo run --release --example phases -- FILE`

use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Resident memory now, in MB (Linux; 0 elsewhere).
fn rss_mb() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096 / 1_000_000
}

fn main() {
    // As the `premise` binary does: no transparent huge pages.
    premise::cli::no_huge_pages();
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: phases FILE");
        std::process::exit(2);
    };
    let t = Instant::now();
    let source = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    println!(
        "read      {:>8.3} s  rss {} MB",
        t.elapsed().as_secs_f64(),
        rss_mb()
    );
    let t = Instant::now();
    let model = match premise::model::Model::parse(&path, source) {
        Ok(m) => m,
        Err(_) => {
            eprintln!("the model has errors");
            std::process::exit(1);
        }
    };
    println!(
        "model     {:>8.3} s  rss {} MB  (parse + build)",
        t.elapsed().as_secs_f64(),
        rss_mb()
    );
    let t = Instant::now();
    let graph = premise::graph::DepGraph::build(&model);
    println!(
        "graph     {:>8.3} s  rss {} MB",
        t.elapsed().as_secs_f64(),
        rss_mb()
    );
    drop(graph);
    let t = Instant::now();
    let book = premise::eval::Workbook::new(model);
    println!(
        "workbook  {:>8.3} s  rss {} MB  (graph + evaluate)",
        t.elapsed().as_secs_f64(),
        rss_mb()
    );
    let t = Instant::now();
    drop(book);
    println!("drop      {:>8.3} s", t.elapsed().as_secs_f64());
}
