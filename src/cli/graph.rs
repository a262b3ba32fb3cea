//! `premise graph`: the dependency graph as DOT or JSON.

use std::io::Write;

use serde::Serialize;

use super::common::{load_model, output_written, Exit};
use super::GraphFormat;
use crate::eval::Workbook;
use crate::explain::shown;

#[derive(Serialize)]
struct Node {
    name: String,
    input: bool,
    line: u32,
    /// The file its line is in, when that is not the model's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    display: String,
    /// The import it comes from (`site`), for a cell of an imported file.
    #[serde(skip)]
    import: Option<String>,
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
    for &id in model.cells_in_order() {
        let def = model.definition(id);
        g.nodes.push(Node {
            name: model.name(id).to_string(),
            input: def.is_some_and(|d| d.is_input()),
            line: def.map_or(0, |d| d.line),
            file: def
                .filter(|d| !d.file.is_root())
                .map(|d| model.file_path(d.file).to_string()),
            display: shown(&book, id),
            import: model.import_of(model.name(id)).map(|i| i.alias.to_string()),
        });
        for reader in book.graph().readers(id) {
            g.edges.push(Edge {
                from: model.name(id).to_string(),
                to: model.name(reader).to_string(),
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
            let node = |n: &Node, indent: &str| {
                let shape = if n.input { "box" } else { "ellipse" };
                let label = format!(
                    "{}\\n{}",
                    n.name.replace('"', "\\\""),
                    n.display.replace('"', "\\\"")
                );
                format!(
                    "{indent}{} [shape={shape}, label=\"{label}\"];\n",
                    dot_quote(&n.name)
                )
            };
            for n in g.nodes.iter().filter(|n| n.import.is_none()) {
                text.push_str(&node(n, "  "));
            }
            // The cells of each import in a box of their own, labelled with its file.
            for import in &model.imports {
                text.push_str(&format!(
                    "  subgraph {} {{\n    label={};\n    style=rounded;\n",
                    dot_quote(&format!("cluster_{}", import.alias)),
                    dot_quote(&format!(
                        "{} ({})",
                        import.alias,
                        model.file_path(import.file)
                    ))
                ));
                for n in g
                    .nodes
                    .iter()
                    .filter(|n| n.import.as_deref() == Some(&*import.alias))
                {
                    text.push_str(&node(n, "    "));
                }
                text.push_str("  }\n");
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
