//! `premise graph`: the dependency graph as DOT or JSON.

use std::io::Write;

use serde::Serialize;

use super::common::{internal_error, load_model, output_written, Exit};
use super::GraphFormat;
use crate::eval::Workbook;
use crate::explain::shown;

#[derive(Serialize)]
struct Node {
    name: String,
    input: bool,
    line: u32,
    display: String,
}

#[derive(Serialize)]
struct Edge {
    from: String,
    to: String,
}

#[derive(Serialize)]
struct Graph {
    file: String,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

fn dot_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `premise graph FILE`: edges run from each cell to the cells that read it.
pub fn graph(out: &mut dyn Write, file: &str, format: GraphFormat) -> Exit {
    let model = match load_model(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let book = Workbook::new(model);
    let model = book.model();
    let mut g = Graph {
        file: model.path.clone(),
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    for (id, name, def) in model.defined_cells() {
        g.nodes.push(Node {
            name: name.to_string(),
            input: def.is_input(),
            line: def.line,
            display: shown(&book, id),
        });
        for reader in book.graph().readers(id) {
            let to = match model.name(reader) {
                Ok(to) => to.to_string(),
                Err(e) => return internal_error(&e),
            };
            g.edges.push(Edge {
                from: name.to_string(),
                to,
            });
        }
    }
    let written = match format {
        GraphFormat::Json => serde_json::to_string_pretty(&g)
            .map_err(std::io::Error::other)
            .and_then(|t| writeln!(out, "{t}")),
        GraphFormat::Dot => {
            let mut text = String::from(
                "digraph premise {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n",
            );
            for n in &g.nodes {
                let shape = if n.input { "box" } else { "ellipse" };
                let label = format!(
                    "{}\\n{}",
                    n.name.replace('"', "\\\""),
                    n.display.replace('"', "\\\"")
                );
                text.push_str(&format!(
                    "  {} [shape={shape}, label=\"{label}\"];\n",
                    dot_quote(&n.name)
                ));
            }
            for e in &g.edges {
                text.push_str(&format!(
                    "  {} -> {};\n",
                    dot_quote(&e.from),
                    dot_quote(&e.to)
                ));
            }
            text.push_str("}\n");
            out.write_all(text.as_bytes())
        }
    };
    match output_written(written) {
        Ok(()) => Exit::Ok,
        Err(code) => code,
    }
}
