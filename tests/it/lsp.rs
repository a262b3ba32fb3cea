//! `premise lsp` spoken to as an editor does: JSON-RPC over the process's
//! stdin and stdout. And the open document's incremental updates, checked
//! against loading the same text afresh.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use premise::lsp::Document;
use serde_json::{json, Value};

use crate::common::BIN;

/// Long enough for a slow debug build on a busy machine; a hang fails the test.
const PATIENCE: Duration = Duration::from_secs(60);

const URI: &str = "file:///tmp/plan%20b.model";

/// A model with lines of non-ASCII names, one outside the Basic
/// Multilingual Plane (positions count UTF-16 units).
const MODEL: &str = "\
## Sales per year
revenue = $50B
margin = 40%
profit = revenue * margin
prix_é = profit / 0
中文 = 𝑥 + profti
𝑥 = 2
unused = 3

scenario bull {
  margin = 50%
}
";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(BIN)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.unwrap()];
                r.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages: rx,
            next_id: 0,
        }
    }

    /// A server, initialized, with `text` open.
    fn opened(text: &str) -> Client {
        let mut c = Client::start();
        c.initialize();
        c.open(text);
        c
    }

    fn raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string();
        self.raw(body.as_bytes());
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        let body =
            json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
        self.raw(body.as_bytes());
        id
    }

    fn next(&mut self) -> Value {
        match self.messages.recv_timeout(PATIENCE) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("the server said nothing"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server stopped"),
        }
    }

    /// The response to request `id` (notifications before it are skipped).
    fn response(&mut self, id: i64) -> Value {
        loop {
            let m = self.next();
            if m["id"] == json!(id) {
                return m;
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let r = self.response(id);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// The next diagnostics published for the document.
    fn diagnostics(&mut self) -> Vec<Value> {
        loop {
            let m = self.next();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == URI {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn initialize(&mut self) {
        let r = self.request("initialize", json!({"capabilities": {}}));
        assert_eq!(r["capabilities"]["textDocumentSync"], 2, "incremental sync");
        self.notify("initialized", json!({}));
    }

    fn open(&mut self, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "premise", "version": 1, "text": text}}),
        );
        self.diagnostics()
    }

    fn change(&mut self, line: u32, from: u32, to: u32, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
                {"range": {"start": {"line": line, "character": from}, "end": {"line": line, "character": to}}, "text": text}
            ]}),
        );
        self.diagnostics()
    }

    fn at(&self, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
    }

    fn completions(&mut self, line: u32, character: u32) -> Vec<String> {
        let r = self.request("textDocument/completion", self.at(line, character));
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    }

    fn hints(&mut self) -> Vec<(u64, u64, String)> {
        let r = self.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}}}),
        );
        r.as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["position"]["line"].as_u64().unwrap(),
                    h["position"]["character"].as_u64().unwrap(),
                    h["label"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// Shuts down and exits; the exit code.
    fn finish(mut self) -> i32 {
        let id = self.send_request("shutdown", Value::Null);
        self.response(id);
        self.notify("exit", Value::Null);
        self.child.wait().unwrap().code().unwrap()
    }
}

fn range_of(d: &Value) -> (u64, u64, u64, u64) {
    let r = &d["range"];
    (
        r["start"]["line"].as_u64().unwrap(),
        r["start"]["character"].as_u64().unwrap(),
        r["end"]["line"].as_u64().unwrap(),
        r["end"]["character"].as_u64().unwrap(),
    )
}

fn message_with<'a>(diagnostics: &'a [Value], words: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains(words))
        .unwrap_or_else(|| panic!("no diagnostic with {words:?} in {diagnostics:#?}"))
}

#[test]
fn diagnostics_point_at_utf16_columns_with_did_you_mean() {
    let mut c = Client::start();
    c.initialize();
    let diagnostics = c.open(MODEL);
    let unknown = message_with(&diagnostics, "unknown name 'profti'");
    assert!(unknown["message"]
        .as_str()
        .unwrap()
        .contains("did you mean 'profit'"));
    // `中文 = 𝑥 + ` is 10 UTF-16 units: 中文 two, ` = ` three, 𝑥 (outside
    // the BMP) two, ` + ` three; in bytes it is 17.
    assert_eq!(range_of(unknown), (5, 10, 5, 16));
    assert_eq!(unknown["severity"], 1);
    let division = message_with(&diagnostics, "division by zero");
    assert_eq!(range_of(division), (4, 9, 4, 19));
    let unused = message_with(&diagnostics, "input 'unused' is not used");
    assert_eq!(unused["severity"], 4, "an unused input is a hint");
    assert_eq!(c.finish(), 0);
}

#[test]
fn inlay_hints_show_values_and_follow_an_edit() {
    let mut c = Client::opened(MODEL);
    let hints = c.hints();
    assert!(hints.contains(&(3, 25, "⇒ $20B".to_string())), "{hints:?}");
    // An input that reads as its value gets no hint.
    assert!(!hints.iter().any(|h| h.0 == 1 || h.0 == 2), "{hints:?}");
    // margin = 40% -> 50%: profit moves.
    c.change(2, 9, 11, "50");
    let hints = c.hints();
    assert!(hints.contains(&(3, 25, "⇒ $25B".to_string())), "{hints:?}");
    assert_eq!(c.finish(), 0);
}

#[test]
fn hover_shows_value_unit_formula_doc_and_inputs() {
    let mut c = Client::opened(MODEL);
    // Over `profit`'s definition.
    let hover = c.request("textDocument/hover", c.at(3, 2));
    let text = hover["contents"]["value"].as_str().unwrap();
    for part in [
        "**profit** = $20B",
        "unit: `USD`",
        "profit = revenue * margin",
        "`revenue` = $50B",
        "`margin` = 40%",
    ] {
        assert!(text.contains(part), "{part:?} not in {text}");
    }
    // Over `revenue` where profit reads it: its doc text.
    let hover = c.request("textDocument/hover", c.at(3, 12));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Sales per year"), "{text}");
    assert!(text.contains("input (line 2)"), "{text}");
    // Over nothing.
    assert_eq!(c.request("textDocument/hover", c.at(8, 0)), Value::Null);
    assert_eq!(c.finish(), 0);
}

#[test]
fn units_in_hovers_hints_and_completion() {
    let text = "power = 0.7 [kW]\nenergy = power * 24 [h] * 1 [kwh] / 1 [kWh]\nx = 1 [k\n";
    let mut c = Client::start();
    c.initialize();
    let diagnostics = c.open(text);
    let slip = message_with(&diagnostics, "unit 'kwh' is neither built in nor declared");
    assert!(slip["message"]
        .as_str()
        .unwrap()
        .contains("did you mean 'kWh'"));
    assert_eq!(
        slip["severity"], 2,
        "a unit name close to a known one is one of the model's warnings"
    );
    assert_eq!(range_of(slip), (1, 29, 1, 32));
    // What a unit measures, in the hover.
    let hover = c.request("textDocument/hover", c.at(0, 2));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("unit: `kW` (power)"), "{shown}");
    // Unit names inside brackets: built-in ones too.
    let labels = c.completions(2, 8);
    for wanted in ["kW", "kWh", "kB"] {
        assert!(
            labels.iter().any(|l| l == wanted),
            "{wanted} not in {labels:?}"
        );
    }
    assert_eq!(c.finish(), 0);
}

#[test]
fn definition_references_and_rename_reach_scenario_overrides() {
    let mut c = Client::opened(MODEL);
    let def = c.request("textDocument/definition", c.at(3, 20));
    assert_eq!(
        range_of(&def[0]),
        (2, 0, 2, 6),
        "margin is defined on line 3"
    );
    let mut params = c.at(2, 1);
    params["context"] = json!({"includeDeclaration": true});
    let refs = c.request("textDocument/references", params);
    let mut places: Vec<_> = refs.as_array().unwrap().iter().map(range_of).collect();
    places.sort();
    assert_eq!(places, vec![(2, 0, 2, 6), (3, 19, 3, 25), (10, 2, 10, 8)]);
    let mut params = c.at(3, 20);
    params["newName"] = json!("net_margin");
    let edit = c.request("textDocument/rename", params);
    let edits = edit["changes"][URI].as_array().unwrap();
    assert_eq!(edits.len(), 3);
    assert!(edits.iter().all(|e| e["newText"] == "net_margin"));
    // A name that is taken is refused, with the reason.
    let mut params = c.at(3, 20);
    params["newName"] = json!("revenue");
    let id = c.send_request("textDocument/rename", params);
    let r = c.response(id);
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("already a cell named 'revenue'"));
    assert_eq!(c.finish(), 0);
}

#[test]
fn completion_symbols_and_formatting() {
    let mut c = Client::opened(
        "revenue.cloud = 1\nrevenue.chips = 2\nrate = 3\ntotal   =  sum(revenue.*)*  ra\n",
    );
    let labels = c.completions(3, 31);
    assert!(labels.iter().any(|l| l == "rate"), "{labels:?}");
    assert!(!labels.iter().any(|l| l == "revenue.cloud"), "{labels:?}");
    let labels = c.completions(3, 0);
    for wanted in ["revenue.cloud", "revenue.*", "sum", "round"] {
        assert!(
            labels.iter().any(|l| l == wanted),
            "{wanted} not in {labels:?}"
        );
    }
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["revenue.cloud", "revenue.chips", "rate", "total"]);
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let text = edits[0]["newText"].as_str().unwrap();
    assert!(text.contains("total = sum(revenue.*) * ra\n"), "{text}");
    assert_eq!(c.finish(), 0);
}

#[test]
fn bad_input_never_stops_the_server() {
    let mut c = Client::start();
    // Before initialize: an error, not silence.
    let id = c.send_request("textDocument/hover", c.at(0, 0));
    assert_eq!(c.response(id)["error"]["code"], -32002);
    c.initialize();
    // Not JSON: a parse error with id null.
    c.raw(b"{this is not json");
    let m = c.next();
    assert_eq!(m["error"]["code"], -32700);
    assert_eq!(m["id"], Value::Null);
    // JSON, but no message: invalid request, answered to its id.
    c.raw(br#"{"jsonrpc": "2.0", "id": 77, "params": 5}"#);
    assert_eq!(c.response(77)["error"]["code"], -32600);
    // An unknown method.
    let id = c.send_request("premise/nonsense", json!({}));
    assert_eq!(c.response(id)["error"]["code"], -32601);
    // Parameters of the wrong shape.
    let id = c.send_request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(c.response(id)["error"]["code"], -32602);
    // A document that is not open: an empty answer.
    let mut params = c.at(0, 0);
    params["textDocument"]["uri"] = json!("file:///nowhere/gone.model");
    assert_eq!(c.request("textDocument/hover", params), Value::Null);
    // A file that does not parse: diagnostics, and the server goes on.
    let diagnostics = c.open("a = (1 +\nb = a * 2\nc = \n");
    assert!(diagnostics.len() >= 2, "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d["severity"] == 1));
    // Positions past the end of the text are held to it.
    let hover = c.request("textDocument/hover", c.at(999, 999));
    assert_eq!(hover, Value::Null);
    let hints = c.hints();
    assert!(hints.is_empty() || hints.iter().all(|h| h.0 < 3));
    assert_eq!(c.finish(), 0);
}

#[test]
fn a_statement_broken_while_typing_keeps_the_last_values() {
    let mut c = Client::opened("a = 2\nb = a * 3\nc = b + 1\n");
    // `b = a * ` does not parse: its error is reported...
    let diagnostics = c.change(1, 8, 9, "");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(range_of(&diagnostics[0]).0, 1);
    // ...and c keeps the value b had.
    assert!(c.hints().contains(&(2, 9, "⇒ 7".to_string())));
    // Finishing the formula brings the values back in step.
    let diagnostics = c.change(1, 8, 8, "4");
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let hints = c.hints();
    assert!(hints.contains(&(1, 9, "⇒ 8".to_string())), "{hints:?}");
    assert!(hints.contains(&(2, 9, "⇒ 9".to_string())), "{hints:?}");
    assert_eq!(c.finish(), 0);
}

#[test]
fn exit_without_shutdown_is_an_error_exit() {
    let mut c = Client::start();
    c.initialize();
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().unwrap().code(), Some(1));
}

/// Cell values of a document, by name, as text.
fn values(doc: &Document) -> Vec<(String, String)> {
    let book = doc.book();
    let model = book.model();
    model
        .cells_in_order()
        .iter()
        .map(|&id| {
            (
                model.name(id).unwrap().to_string(),
                premise::explain::shown(book, id),
            )
        })
        .collect()
}

/// Every edit, followed incrementally or not, leaves the document's values,
/// problems and statements as a fresh load of the same text gives them.
/// Edits of a model that declares units agree with a fresh load: a cell's
/// formula with a declared unit in it, and the declaration itself.
#[test]
fn edits_with_declared_units_agree_with_a_fresh_load() {
    let text =
        "unit slot = 4 [GPU]\ngpus = 10 [GPU]\nslots = gpus as [slot]\nx = 2 [slot] + 1 [slot]\n";
    let edits: &[(&str, &str)] = &[
        ("x = 2 [slot]", "x = 3 [slot]"), // a literal in a declared unit
        ("slots = gpus as [slot]", "slots = gpus"), // the hint removed
        ("slots = gpus", "slots = gpus as [slot]"), // and back
        ("unit slot = 4 [GPU]", "unit slot = 8 [GPU]"), // the declaration: a full load
        ("unit slot = 8 [GPU]", "unit slot = -8 [GPU]"), // a refused one
        ("unit slot = -8 [GPU]", "unit slot = 2 [GPU]"),
    ];
    let mut doc = Document::new("m.model", text.to_string());
    let mut now = text.to_string();
    for (find, replace) in edits {
        let at = now.find(find).unwrap();
        doc.edit(at, at + find.len(), replace);
        now.replace_range(at..at + find.len(), replace);
        doc.refresh();
        let fresh = Document::new("m.model", now.clone());
        assert_eq!(
            values(&doc),
            values(&fresh),
            "after {find:?} -> {replace:?}"
        );
    }
    let shown: Vec<(String, String)> = values(&doc);
    assert!(
        shown.contains(&("slots".to_string(), "5 slot".to_string())),
        "{shown:?}"
    );
}

#[test]
fn incremental_edits_agree_with_a_fresh_load() {
    let text =
        "## doc\na = 1\nb = a + 1\nc = (b +\n  a)\n\nscenario s {\n  a = 5\n}\nd = c * 2 # note\n";
    // (find, replace): each applied in turn to the text as it is then.
    let edits: &[(&str, &str)] = &[
        ("a = 1", "a = 10"),         // an input
        ("b = a + 1", "b = a + 2"),  // a formula
        ("  a)", "  a + 1)"),        // a continuation line
        ("b = a + 2", "b = a +"),    // broken while typing (values kept)
        ("b = a +", "b = a + 3"),    // and mended
        ("d = c * 2", "d = c * zz"), // an unknown name
        ("d = c * zz", "d = c * b"), // mended
        ("## doc", "## other doc"),  // a doc line
        ("  a = 5", "  a = 6"),      // a scenario override: a full load
        ("d = c * b", "e = c * b"),  // a rename: a full load
        ("b = a + 3", "b = e"),      // a cycle: a full load
        ("b = e", "b = 1"),          // and back
        ("a = 10\n", ""),            // a cell removed
        ("", "x = 1\n"),             // a cell added at the top
    ];
    let mut doc = Document::new("m.model", text.to_string());
    let mut now = text.to_string();
    for (find, replace) in edits {
        let at = now.find(find).unwrap();
        doc.edit(at, at + find.len(), replace);
        now.replace_range(at..at + find.len(), replace);
        doc.refresh();
        assert_eq!(doc.text(), now);
        let fresh = Document::new("m.model", now.clone());
        if !replace.ends_with('+') {
            // While a statement is broken the document keeps its last good
            // formula, where a fresh load has no such cell.
            assert_eq!(
                values(&doc),
                values(&fresh),
                "after {find:?} -> {replace:?}"
            );
        }
        let spans = |d: &Document| d.statements().iter().map(|s| s.span).collect::<Vec<_>>();
        assert_eq!(spans(&doc), spans(&fresh), "after {find:?} -> {replace:?}");
    }
    // The formula edits were followed cell by cell.
    assert!(doc.counts.incremental >= 6, "{:?}", doc.counts);
}

/// One cell of a 100,000-cell model changes: the document follows the edit
/// without loading the text again (the time it takes is in benches/lsp.rs).
#[test]
fn a_one_cell_edit_of_a_big_model_is_followed_incrementally() {
    let mut text = String::from("x0 = 1\n");
    for i in 1..100_000 {
        text.push_str(&format!("x{i} = x{} * 0.9999 + 1\n", i - 1));
    }
    let mut doc = Document::new("big.model", text.clone());
    let at = text.find("x50000 = x49999 * 0.9999").unwrap() + "x50000 = x49999 * ".len();
    doc.edit(at, at + "0.9999".len(), "0.5");
    doc.refresh();
    assert_eq!(doc.counts.loads, 1, "no second load");
    assert_eq!(doc.counts.incremental, 1);
    let model = doc.book().model();
    let x50000 = model.defined("x50000").unwrap();
    let x49999 = model.defined("x49999").unwrap();
    let (Some(Ok(a)), Some(Ok(b))) = (doc.book().value(x50000), doc.book().value(x49999)) else {
        panic!("values");
    };
    // x50000 = x49999 * 0.5 + 1
    let (premise::Value::Number { amount: a, .. }, premise::Value::Number { amount: b, .. }) =
        (a, b)
    else {
        panic!("numbers");
    };
    assert_eq!(
        *a,
        *b * rust_decimal::Decimal::new(5, 1) + rust_decimal::Decimal::ONE
    );
}

/// Problems of a document as (message, span), for comparing two documents.
fn problem_list(doc: &Document) -> Vec<(String, usize, usize)> {
    premise::lsp::problems::problems(doc)
        .into_iter()
        .map(|(_, d)| (d.to_string(), d.span.start(), d.span.end()))
        .collect()
}

/// Hundreds of small random edits (a character typed or deleted, a line
/// break, a digit changed), each checked against a fresh load of the same
/// text: the statements, and while no statement is broken mid-typing, every
/// value and every problem with its place.
#[test]
fn random_typing_agrees_with_a_fresh_load() {
    let text = "# plan\n## price in dollars\nprice = $12\nunits = 3 # a guess\nsales = price * units\ncost = (sales *\n  0.4)\nmargin = (sales - cost) / sales as %\n\nscenario low {\n  units = 2\n}\nrate.a = 1\nrate.b = 2\ntotal = sum(rate.*) + sales\n";
    let mut doc = Document::new("m.model", text.to_string());
    let mut now = text.to_string();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let pieces = [
        "1", "9", " ", "+", "-", "*", "(", ")", "\n", "x", "e", "#", "s", "",
    ];
    for step in 0..400 {
        // A character boundary to edit at, and what to do there.
        let boundaries: Vec<usize> = (0..=now.len())
            .filter(|&i| now.is_char_boundary(i))
            .collect();
        let at = boundaries[next(boundaries.len())];
        let delete = if next(3) == 0 {
            now[at..].chars().next().map_or(0, char::len_utf8)
        } else {
            0
        };
        let insert = pieces[next(pieces.len())];
        doc.edit(at, at + delete, insert);
        now.replace_range(at..at + delete, insert);
        // Now and then, put a clean model back, so typing goes on from sense.
        if step % 25 == 24 {
            doc.edit(0, now.len(), text);
            now = text.to_string();
        }
        doc.refresh();
        let fresh = Document::new("m.model", now.clone());
        let spans = |d: &Document| d.statements().iter().map(|s| s.span).collect::<Vec<_>>();
        assert_eq!(spans(&doc), spans(&fresh), "step {step}: {now:?}");
        let broken = doc.statements().iter().any(|s| {
            matches!(
                s.kind,
                premise::lsp::document::Kind::Cell {
                    broken: Some(_),
                    ..
                }
            )
        });
        if !broken {
            assert_eq!(values(&doc), values(&fresh), "step {step}: {now:?}");
            assert_eq!(
                problem_list(&doc),
                problem_list(&fresh),
                "step {step}: {now:?}"
            );
        }
    }
    // Line breaks and `#` often change the statements (a full load); the
    // rest are followed statement by statement.
    assert!(doc.counts.incremental > 50, "{:?}", doc.counts);
}

/// A model with ranges: an input, a cell reading it, a condition over it,
/// a statistic (certain), and a certain cell.
const RANGES: &str = "\
spend = $40B to $70B
cost = spend * 2
big = cost > $110B
chance = prob(cost > $110B) as %
fixed = $3B * 2
";

/// Cell `name`'s columns in a table `premise` printed (`name v1 v2 ...`).
fn columns_of(table: &str, name: &str) -> Vec<String> {
    table
        .lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no {name} in {table}"))
        .split_whitespace()
        .skip(1)
        .map(String::from)
        .collect()
}

fn hint_on(hints: &[(u64, u64, String)], line: u64) -> &str {
    &hints
        .iter()
        .find(|h| h.0 == line)
        .unwrap_or_else(|| panic!("no hint on line {line}: {hints:?}"))
        .2
}

#[test]
fn ranges_show_the_median_and_the_90_percent_interval_premise_simulate_gives() {
    let repo = crate::common::Repo::new();
    repo.write("r.model", RANGES);
    let simulated = crate::common::stdout(&repo.premise(&["simulate", "r.model"]));
    let evaluated = crate::common::stdout(&repo.premise(&["eval", "r.model"]));
    let mut c = Client::opened(RANGES);
    let hints = c.hints();
    for (line, name) in [(0, "spend"), (1, "cost")] {
        let [p5, p50, p95, mean] = <[String; 4]>::try_from(columns_of(&simulated, name)).unwrap();
        let median = &columns_of(&evaluated, name)[0];
        assert!(median.starts_with('~'), "{evaluated}");
        assert_eq!(
            hint_on(&hints, line),
            format!("⇒ {median} (90%: {p5} to {p95})")
        );
        // The hover: the value as eval shows it, the percentiles as :sim does.
        let hover = c.request("textDocument/hover", c.at(line as u32, 1));
        let text = hover["contents"]["value"].as_str().unwrap();
        for part in [
            format!("**{name}** = {median}"),
            "10000 samples, seed 0".to_string(),
            format!("p5 {p5}   p50 {p50}   p95 {p95}   mean {mean}"),
        ] {
            assert!(text.contains(&part), "{part:?} not in {text}");
        }
        assert!(text.contains('█'), "a histogram: {text}");
    }
    // A condition over a range: how often it holds, as simulate words it.
    let share = columns_of(&simulated, "big");
    assert_eq!(share[..2], ["true", "in"], "{simulated}");
    assert!(
        hint_on(&hints, 2).ends_with(&format!("(true in {} of samples)", share[2])),
        "{hints:?}"
    );
    // A statistic and a certain cell are certain: no ~, no interval.
    let chance = &columns_of(&evaluated, "chance")[0];
    assert_eq!(hint_on(&hints, 3), format!("⇒ {chance}"));
    assert_eq!(hint_on(&hints, 4), "⇒ $6B");
    // An edit moves the interval: spend = $40B to $70B -> $50B to $70B.
    c.change(0, 9, 11, "50");
    let moved = c.hints();
    assert_ne!(hint_on(&moved, 1), hint_on(&hints, 1));
    assert!(
        hint_on(&moved, 1).starts_with("⇒ ~$118.32B (90%: $"),
        "{moved:?}"
    );
    assert_eq!(c.finish(), 0);
}

#[test]
fn the_models_warnings_are_warnings_where_they_were_written() {
    let text = "\
margin = 40%
cost = $50B +- $10B
x = 1
scenario high {
  margin = 55
}
";
    let mut c = Client::start();
    c.initialize();
    let diagnostics = c.open(text);
    let sign = message_with(&diagnostics, "'+-' reads as '-'");
    assert_eq!(sign["severity"], 2, "a warning");
    assert_eq!(range_of(sign), (1, 12, 1, 14));
    let percent = message_with(&diagnostics, "'margin' is a percentage: 55 is 5500%");
    assert_eq!(percent["severity"], 2);
    assert_eq!(range_of(percent), (4, 11, 4, 13));
    // A line inserted above: the incremental update keeps them in place.
    let diagnostics = c.change(0, 0, 0, "y = 2\n");
    assert_eq!(
        range_of(message_with(&diagnostics, "'+-' reads as '-'")),
        (2, 12, 2, 14)
    );
    assert_eq!(
        range_of(message_with(&diagnostics, "55 is 5500%")),
        (5, 11, 5, 13)
    );
    // The slip typed into a formula is found as it is typed; mended, it goes.
    let diagnostics = c.change(3, 4, 5, "3 - -2");
    assert_eq!(
        range_of(message_with(&diagnostics, "'- -' reads as '+'")),
        (3, 6, 3, 9)
    );
    let diagnostics = c.change(3, 4, 10, "3 - 2");
    assert!(
        !diagnostics
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("reads as") && range_of(d).0 == 3),
        "{diagnostics:#?}"
    );
    // Scenario names complete.
    let labels = c.completions(3, 4);
    assert!(labels.iter().any(|l| l == "high"), "{labels:?}");
    assert_eq!(c.finish(), 0);
}

/// A model that imports another: the imported file's problems and the
/// failed assertions are shown in the open text, at the import and at the
/// assertion; an edit of the text still agrees with a fresh load.
#[test]
fn problems_of_imported_files_and_assertions_reach_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.model"),
        "pue = 1.3\nbroken = pue / 0\nassert pue < 1.2, \"efficient\"\n",
    )
    .unwrap();
    let path = dir.path().join("m.model");
    let text = "x = 1\nimport \"site.model\" as site\npower = 100 * site.pue\nassert power < 120, \"under 120\"\n";
    let mut doc = Document::new(path.to_str().unwrap(), text.to_string());
    let problems = problem_list(&doc);
    let import = text.find("import").unwrap();
    let assert = text.find("assert").unwrap();
    let at = |words: &str| {
        problems
            .iter()
            .find(|(m, _, _)| m.contains(words))
            .unwrap_or_else(|| panic!("no {words:?} in {problems:?}"))
            .1
    };
    // The imported file's failing cell and assertion, at the import, naming the file and line.
    assert_eq!(
        at("site.model:2:10: cell 'site.broken': division by zero"),
        import
    );
    assert_eq!(at("site.model:3:1: assertion failed: efficient"), import);
    // The text's own assertion, at its statement.
    assert_eq!(at("assertion failed: under 120"), assert);
    // An edit above moves them; a fresh load agrees.
    doc.edit(0, 5, "x = 12345");
    doc.refresh();
    let now = doc.text().to_string();
    let fresh = Document::new(path.to_str().unwrap(), now.clone());
    assert_eq!(problem_list(&doc), problem_list(&fresh));
    assert_eq!(
        problem_list(&doc)
            .iter()
            .find(|(m, _, _)| m.contains("under 120"))
            .unwrap()
            .1,
        now.find("assert").unwrap()
    );
    // A syntax error in the imported file: the text does not load, and says where.
    std::fs::write(dir.path().join("site.model"), "pue = (1.3\n").unwrap();
    let broken = Document::new(path.to_str().unwrap(), text.to_string());
    let problems = problem_list(&broken);
    assert!(
        problems
            .iter()
            .any(|(m, start, _)| m.contains("site.model:1:7: ") && *start == import),
        "{problems:?}"
    );
}

/// `site.pue` in the open model is `pue` in the file it imports: go to
/// definition opens that file, references and rename reach it too.
#[test]
fn definition_references_and_rename_reach_the_imported_file() {
    let dir = tempfile::tempdir().unwrap();
    // A space and a non-ASCII letter in the folder: the URI encodes them.
    let folder = dir.path().join("sites é");
    std::fs::create_dir(&folder).unwrap();
    let site_text = "pue = 1.3\nlosses = pue - 1\n";
    std::fs::write(folder.join("site.model"), site_text).unwrap();
    let main = folder.join("main.model");
    let text = "import \"site.model\" as site\npower = 100 * site.pue\nextra = site.pue * 2\n";
    std::fs::write(&main, text).unwrap();
    let uri = format!(
        "file://{}",
        main.to_str()
            .unwrap()
            .replace(' ', "%20")
            .replace('é', "%C3%A9")
    );
    let site_uri = uri.replace("main.model", "site.model");
    let mut c = Client::start();
    c.initialize();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "premise", "version": 1, "text": text}}),
    );
    let at = |line: u32, character: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    // On `site.pue` in `power = 100 * site.pue`.
    let def = c.request("textDocument/definition", at(1, 16));
    assert_eq!(def.as_array().unwrap().len(), 1, "{def}");
    assert_eq!(def[0]["uri"], site_uri.as_str());
    assert_eq!(range_of(&def[0]), (0, 0, 0, 3), "pue = 1.3, line 1");
    let mut refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 16},
               "context": {"includeDeclaration": true}}),
    );
    let places = |refs: &mut Value| {
        let mut v: Vec<(String, (u64, u64, u64, u64))> = refs
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["uri"].as_str().unwrap().to_string(), range_of(l)))
            .collect();
        v.sort();
        v
    };
    let mut expected = vec![
        (uri.clone(), (1, 14, 1, 22)),
        (uri.clone(), (2, 8, 2, 16)),
        (site_uri.clone(), (0, 0, 0, 3)),
        (site_uri.clone(), (1, 9, 1, 12)),
    ];
    expected.sort();
    assert_eq!(places(&mut refs), expected);
    // Rename: the open file writes the alias, the imported file does not.
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 10},
               "newName": "site.overhead"}),
    );
    let edits_in = |u: &str| -> Vec<(u64, u64, String)> {
        let mut v: Vec<_> = edit["changes"][u]
            .as_array()
            .unwrap_or_else(|| panic!("no edits for {u}: {edit}"))
            .iter()
            .map(|e| {
                let (l, c0, _, _) = range_of(e);
                (l, c0, e["newText"].as_str().unwrap().to_string())
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        edits_in(&uri),
        [
            (1, 14, "site.overhead".to_string()),
            (2, 8, "site.overhead".to_string())
        ]
    );
    assert_eq!(
        edits_in(&site_uri),
        [
            (0, 0, "overhead".to_string()),
            (1, 9, "overhead".to_string())
        ]
    );
    // A new name without the alias, or taken in the imported file, is refused.
    for (new, words) in [
        ("overhead", "its new name starts with 'site.'"),
        ("site.losses", "there is already a cell named 'site.losses'"),
    ] {
        let id = c.send_request(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 10},
                   "newName": new}),
        );
        let r = c.response(id);
        let message = r["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{new}: {r}");
    }
    assert_eq!(c.finish(), 0);
}

/// Units in the editor: a unit mismatch where `premise check` points, a
/// hover over a unit's name saying what it measures and where it comes
/// from, completion of unit names after a `/` inside brackets.
#[test]
fn unit_mismatches_unit_hovers_and_unit_completion() {
    let text = "unit slot = 4 [GPU]\np = 1 [MW]\ne = 2 [MWh]\nx = p * 3 + e\ny = 3 [slot] + 1 [pod]\nz = $80 [/M\n";
    let mut c = Client::start();
    c.initialize();
    let diagnostics = c.open(text);
    let mismatch = message_with(&diagnostics, "cannot add [MW] (power) and [MWh] (energy)");
    assert_eq!(mismatch["severity"], 1);
    assert_eq!(
        range_of(mismatch),
        (3, 4, 3, 13),
        "p * 3 + e, as check shows it"
    );
    let hover = |c: &mut Client, line: u32, character: u32| {
        let h = c.request("textDocument/hover", c.at(line, character));
        (
            h["contents"]["value"].as_str().unwrap().to_string(),
            range_of(&h),
        )
    };
    let (mwh, at) = hover(&mut c, 2, 8);
    assert_eq!(at, (2, 7, 2, 10));
    assert!(mwh.starts_with("**MWh**: energy, built in"), "{mwh}");
    assert!(mwh.contains("1 MWh = 3"), "{mwh}");
    let (mw, _) = hover(&mut c, 1, 8);
    assert!(mw.starts_with("**MW**: power, built in"), "{mw}");
    let (slot, _) = hover(&mut c, 4, 8);
    assert!(
        slot.contains("declared on line 1: `unit slot = 4 [GPU]`"),
        "{slot}"
    );
    let (pod, _) = hover(&mut c, 4, 19);
    assert!(pod.contains("neither built in nor declared"), "{pod}");
    // Over a number, no unit: no hover.
    assert_eq!(c.request("textDocument/hover", c.at(4, 4)), Value::Null);
    let labels = c.completions(5, 11);
    for wanted in ["MW", "MWh", "MB", "MJ"] {
        assert!(
            labels.iter().any(|l| l == wanted),
            "{wanted} not in {labels:?}"
        );
    }
    assert!(!labels.iter().any(|l| l == "kW" || l == "p"), "{labels:?}");
    assert_eq!(c.finish(), 0);
}

/// A range with a unit: its interval in the unit the cell shows in.
#[test]
fn a_ranges_interval_is_in_the_cells_display_unit() {
    let text = "power = 700 to 900 [W]\nenergy = power * 24 [h] as [kWh]\n";
    let repo = crate::common::Repo::new();
    repo.write("r.model", text);
    let simulated = crate::common::stdout(&repo.premise(&["simulate", "r.model"]));
    let evaluated = crate::common::stdout(&repo.premise(&["eval", "r.model"]));
    let mut c = Client::opened(text);
    let hints = c.hints();
    let p = columns_of(&simulated, "energy");
    assert_eq!(
        (p[1].as_str(), p[5].as_str()),
        ("kWh", "kWh"),
        "{simulated}"
    );
    let median = &columns_of(&evaluated, "energy")[0];
    assert_eq!(
        hint_on(&hints, 1),
        format!(
            "⇒ {median} kWh (90%: {} {} to {} {})",
            p[0], p[1], p[4], p[5]
        )
    );
    assert_eq!(c.finish(), 0);
}

/// A failed assertion is an error on its line; renaming a cell it reads
/// updates the assertion, and references find it there.
#[test]
fn failed_assertions_and_names_in_assertions() {
    let text = "power = 130\nlimit = 120\nassert power < limit, \"under the limit\"\n";
    let mut c = Client::start();
    c.initialize();
    let diagnostics = c.open(text);
    let failed = message_with(&diagnostics, "under the limit");
    assert_eq!(failed["severity"], 1);
    assert_eq!(range_of(failed).0, 2, "{failed}");
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 1},
               "context": {"includeDeclaration": false}}),
    );
    let lines: Vec<(u64, u64, u64, u64)> = refs.as_array().unwrap().iter().map(range_of).collect();
    assert_eq!(lines, [(2, 7, 2, 12)]);
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 1},
               "newName": "draw"}),
    );
    let mut edits: Vec<(u64, u64)> = edit["changes"][URI]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (range_of(e).0, range_of(e).1))
        .collect();
    edits.sort();
    assert_eq!(edits, [(0, 0), (2, 7)]);
    // Mended, the assertion's error goes.
    let diagnostics = c.change(0, 8, 11, "110");
    assert!(
        !diagnostics
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("under the limit")),
        "{diagnostics:#?}"
    );
    assert_eq!(c.finish(), 0);
}

/// Series: the hint shows the first and last periods as `premise eval`
/// shows them, the hover every period, the rule and the pins; a range in
/// a series' rule gives each end its own interval, as `premise simulate`.
#[test]
fn series_show_their_first_and_last_periods_and_hover_lists_them() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/capex.model"),
    )
    .unwrap();
    let repo = crate::common::Repo::new();
    repo.write("capex.model", &text);
    let evaluated = crate::common::stdout(&repo.premise(&["eval", "capex.model"]));
    let capex = columns_of(&evaluated, "capex");
    let cash = columns_of(&evaluated, "cash");
    let mut c = Client::opened(&text);
    let hints = c.hints();
    assert_eq!(
        hint_on(&hints, 3),
        format!("⇒ 2024: {} … 2030: {}", capex[0], capex[6])
    );
    assert_eq!(
        hint_on(&hints, 5),
        format!("⇒ 2024: {} … 2030: {}", cash[0], cash[6])
    );
    assert_eq!(
        hint_on(&hints, 6),
        format!("⇒ {}", columns_of(&evaluated, "total_capex")[0])
    );
    let hover = c.request("textDocument/hover", c.at(3, 2));
    let shown = hover["contents"]["value"].as_str().unwrap();
    for (i, year) in (2024..=2030).enumerate() {
        let line = format!("- {year}: {}", capex[i]);
        assert!(shown.contains(&line), "{line:?} not in {shown}");
    }
    for part in [
        "capex[year] = capex[year - 1] * (1 + growth)",
        "capex[2024] = $50B",
        "unit: `USD`",
    ] {
        assert!(shown.contains(part), "{part:?} not in {shown}");
    }
    assert_eq!(c.finish(), 0);

    let text = "axis year = 2024..2027\ngrowth[year] = normal(10% to 30%)\nsales[year] = $100B * (1 + growth)\n";
    repo.write("s.model", text);
    let simulated = crate::common::stdout(&repo.premise(&["simulate", "s.model"]));
    let evaluated = crate::common::stdout(&repo.premise(&["eval", "s.model"]));
    let median = columns_of(&evaluated, "sales");
    let p = |period: &str| columns_of(&simulated, &format!("sales[{period}]"));
    let (first, last) = (p("2024"), p("2027"));
    let mut c = Client::opened(text);
    let hints = c.hints();
    assert_eq!(
        hint_on(&hints, 2),
        format!(
            "⇒ 2024: {} (90%: {} to {}) … 2027: {} (90%: {} to {})",
            median[0], first[0], first[2], median[3], last[0], last[2]
        )
    );
    let hover = c.request("textDocument/hover", c.at(2, 2));
    let shown = hover["contents"]["value"].as_str().unwrap();
    let second = p("2025");
    let line = format!(
        "- 2025: {} (90%: {} to {})",
        median[1], second[0], second[2]
    );
    assert!(shown.contains(&line), "{line:?} not in {shown}");
    assert_eq!(c.finish(), 0);
}

/// Renaming a series renames its rule, its pins and what reads it;
/// references find the pins, and a pin that reads a cell.
#[test]
fn rename_and_references_reach_a_series_pins() {
    let text = "axis year = 2024..2026\nbase = $40B\ncapex[2024] = base + $10B\ncapex[year] = capex[year - 1] * 2\ntotal = sum(capex[*])\n";
    let mut c = Client::opened(text);
    let refs = |c: &mut Client, line: u32, character: u32| {
        let r = c.request(
            "textDocument/references",
            json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character},
                   "context": {"includeDeclaration": true}}),
        );
        let mut v: Vec<(u64, u64, u64, u64)> = r.as_array().unwrap().iter().map(range_of).collect();
        v.sort();
        v
    };
    assert_eq!(
        refs(&mut c, 1, 1),
        [(1, 0, 1, 4), (2, 14, 2, 18)],
        "base, read by the pin"
    );
    let capex = [(2, 0, 2, 5), (3, 0, 3, 5), (3, 14, 3, 19), (4, 12, 4, 17)];
    assert_eq!(refs(&mut c, 4, 13), capex);
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 1},
               "newName": "spend"}),
    );
    let mut renamed: Vec<(u64, u64, u64, u64)> = edit["changes"][URI]
        .as_array()
        .unwrap()
        .iter()
        .map(range_of)
        .collect();
    renamed.sort();
    assert_eq!(renamed, capex);
    assert_eq!(c.finish(), 0);
}

/// A series that fails in one period: the problem is on its line, the hint
/// names the period; a period off the axis is the error `check` gives.
#[test]
fn a_series_failing_in_one_period() {
    let text = "axis year = 2024..2026\nx[year] = 10 / (year - 2025)\ny = x[2023]\n";
    let mut c = Client::start();
    c.initialize();
    let diagnostics = c.open(text);
    let zero = message_with(&diagnostics, "division by zero");
    assert_eq!(range_of(zero).0, 1, "{zero}");
    let outside = message_with(&diagnostics, "x[2023] is outside year 2024..2026");
    assert_eq!(range_of(outside).0, 2, "{outside}");
    let hints = c.hints();
    assert_eq!(hint_on(&hints, 1), "⚠ 2025: division by zero");
    assert_eq!(c.finish(), 0);
}
