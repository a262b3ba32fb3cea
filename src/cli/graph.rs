//! `premise graph`: the dependency graph as DOT or JSON, a node per cell
//! (a series is one node; a recurrence, which reads the series' earlier
//! periods, is an edge from the node to itself).

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
    for (id, name, def) in model.defined_cells() {
        g.nodes.push(Node {
            name: name.to_string(),
            input: model.is_input(id),
            line: def.line,
            file: (!def.file.is_root()).then(|| model.file_path(def.file).to_string()),
            display: shown(&book, id),
            import: model.import_of(name).map(|i| i.alias.to_string()),
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
