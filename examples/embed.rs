//! Embedding premise in a program, with the library alone (no `cli` feature):
//! load a model from text, read a cell, change an assumption and see what
//! moved, ask what it would take, and compare the two versions.
//!
//! `cargo run --no-default-features --example embed`

use std::error::Error;

use premise::{diff, sensitivity, solve, Amount, Definition, Goal, Model, Workbook};

const MODEL: &str = "\
## Annual GPU spending.
gpu_spend = $50B
## Energy and buildings per GPU dollar.
energy = gpu_spend * 1
margin = 50%
required_revenue = (gpu_spend + energy) / margin
ai_revenue = $75B
gap = required_revenue - ai_revenue
";

fn main() -> Result<(), Box<dyn Error>> {
    let model = Model::parse("ai.model", MODEL.to_string())?;
    let before = Workbook::new(model.clone());
    let mut book = Workbook::new(model);

    // Read a cell: its exact value, and as the analyst reads it.
    let gap = book.model().defined("gap").ok_or("no cell 'gap'")?;
    println!("gap = {}", premise::explain::shown(&book, gap));

    // Change an assumption: only what depends on it recomputes.
    for change in book.redefine("margin", Definition::parse("40%")?)? {
        println!(
            "  {} is now {}",
            book.model().name(change.cell)?,
            premise::explain::shown(&book, change.cell)
        );
    }

    // What GPU spending closes the gap?
    let goal = Goal {
        cell: "gap".to_string(),
        value: Amount::Formula("$0".to_string()),
    };
    let answer = solve(&book, &goal, "gpu_spend", None)?;
    println!("gap is $0 when gpu_spend = {}", answer.formula);

    // Which input moves the gap most?
    let tornado = sensitivity(&book, "gap", &Amount::Formula("10%".to_string()))?;
    if let Some(top) = tornado.swings.first() {
        println!("the gap moves most with {}", top.input.name);
    }

    // What changed between the two versions?
    let changes = diff(&before, &book)?;
    print!("{}", premise::diff::render_text(&changes, false));
    Ok(())
}
