//! Times each stage of the pipeline on one model file: where does the time go?
//! `cargo run --release --example phases -- FILE`

use std::time::Instant;

fn main() {
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
    println!("read      {:>8.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let parsed = premise::syntax::parse_file(&source);
    println!(
        "parse     {:>8.3} s  ({} statements)",
        t.elapsed().as_secs_f64(),
        parsed.statements.len()
    );
    drop(parsed);
    let t = Instant::now();
    let model = match premise::model::Model::parse(&path, source) {
        Ok(m) => m,
        Err(_) => {
            eprintln!("the model has errors");
            std::process::exit(1);
        }
    };
    println!(
        "model     {:>8.3} s  (parse + build)",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let graph = premise::graph::DepGraph::build(&model);
    println!("graph     {:>8.3} s", t.elapsed().as_secs_f64());
    drop(graph);
    let t = Instant::now();
    let book = premise::eval::Workbook::new(model);
    println!(
        "workbook  {:>8.3} s  (graph + evaluate)",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    drop(book);
    println!("drop      {:>8.3} s", t.elapsed().as_secs_f64());
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
