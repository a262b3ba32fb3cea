//! `:save` (the library under the REPL command): after a session's edits the
//! file changes only on the edited lines, keeps every comment, and gives the
//! session's values to `premise eval`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::common;

use common::{bundled, stderr, stdout, Repo};
use premise::display::format_exact;
use premise::eval::Workbook;
use premise::model::{load_file, Definition};
use premise::save::{save, SaveError};

/// A definition as the REPL makes one from `name = text`.
fn def(text: &str) -> Definition {
    Definition::parse(text).unwrap()
}

/// The flagship model with a trailing comment on the margin and a formula over two lines.
fn model() -> String {
    bundled("ai_200b.model")
        .replace("\nmargin = 50%\n", "\nmargin = 50%  # Sequoia's figure\n")
        .replace(
            "\ndata_center = gpu_spend + energy\n",
            "\ndata_center = (gpu_spend +  # the chips\n  energy)  # and what they need\n",
        )
}

#[test]
fn save_after_edits_keeps_every_comment_and_the_session_values() {
    let repo = Repo::new();
    repo.write("m.model", &model());
    repo.commit("the model");
    let path = repo.file("m.model");
    let loaded = load_file(path.to_str().unwrap()).unwrap();
    let mut book = Workbook::new(loaded.clone());
    for (name, text) in [
        ("margin", "45%"),
        ("data_center", "gpu_spend + energy * 1.1"),
        ("tax_rate", "21%"),
        ("after_tax_gap", "gap * (1 - tax_rate)"),
    ] {
        book.redefine(name, def(text)).unwrap();
    }
    let saved = save(&loaded, book.model(), None, false).unwrap();
    assert_eq!(saved.changed, ["data_center", "margin"]);
    assert_eq!(saved.added, ["tax_rate", "after_tax_gap"]);

    // Only the edited lines changed; new cells at the end.
    let patch = repo.git_ok(&["diff", "--no-ext-diff", "-U0", "m.model"]);
    let changes: Vec<&str> = patch
        .lines()
        .filter(|l| {
            (l.starts_with('-') || l.starts_with('+'))
                && !l.starts_with("---")
                && !l.starts_with("+++")
        })
        .collect();
    assert_eq!(
        changes,
        [
            "-data_center = (gpu_spend +  # the chips",
            "-  energy)  # and what they need",
            "+data_center = gpu_spend + energy * 1.1  # and what they need",
            "+# the chips",
            "-margin = 50%  # Sequoia's figure",
            "+margin = 45%  # Sequoia's figure",
            "+tax_rate = 21%",
            "+after_tax_gap = gap * (1 - tax_rate)",
        ]
    );

    // Every comment of the original is still there.
    let text = repo.read("m.model");
    for line in model().lines().filter(|l| l.contains('#')) {
        let comment = &line[line.find('#').unwrap()..];
        assert!(text.contains(comment), "lost {comment:?}");
    }

    // premise eval of the saved file gives the session's values.
    let out = repo.premise(&["eval", "m.model", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cells = json["cells"].as_array().unwrap();
    let session = book.model();
    assert_eq!(cells.len(), session.cells_in_order().len());
    for cell in cells {
        let name = cell["name"].as_str().unwrap();
        let value = book.value_of(name).unwrap().as_ref().unwrap();
        assert_eq!(cell["value"], format_exact(value).as_str(), "{name}");
    }
    let out = repo.premise(&["get", "m.model", "after_tax_gap"]);
    assert_eq!(stdout(&out), "$125.08B\n");
}

#[test]
fn save_refuses_a_file_changed_since_it_was_loaded() {
    let repo = Repo::new();
    repo.write("m.model", &model());
    repo.commit("the model");
    let path = repo.file("m.model");
    let loaded = load_file(path.to_str().unwrap()).unwrap();
    let mut book = Workbook::new(loaded.clone());
    book.redefine("margin", def("45%")).unwrap();

    // A colleague's change lands in the working tree meanwhile.
    let theirs = model().replace("revenue.others = $14B", "revenue.others = $20B");
    repo.write("m.model", &theirs);
    let err = save(&loaded, book.model(), None, false).unwrap_err();
    assert!(matches!(err, SaveError::ChangedOnDisk(_)));
    assert!(
        err.to_string().ends_with("changed on disk since it was loaded; not saved (:reload takes the new file and keeps your changes; :save! overwrites it)"),
        "{err}"
    );
    assert_eq!(repo.read("m.model"), theirs);

    // :save! overwrites.
    save(&loaded, book.model(), None, true).unwrap();
    assert_eq!(
        repo.read("m.model"),
        model().replace("margin = 50%", "margin = 45%")
    );
}

#[test]
fn repl_save_puts_new_cells_before_the_scenarios_as_typed() {
    let repo = Repo::new();
    let text = bundled("ai_200b.model");
    repo.write("m.model", &text);
    let path = repo.file("m.model");
    let (out, err, code) = common::repl_piped(
        &[path.to_str().unwrap()],
        "extra = (gap -  # what is left\n  $25B)\nmargin = 40%\n:save\n",
    );
    assert_eq!(code, 0, "{out}{err}");
    let saved = repo.read("m.model");
    // The cells, then a blank line and the first scenario's doc.
    let (cells, scenarios) = text.split_at(text.find("\n## Bear").unwrap());
    assert!(cells.ends_with(" as %\n") && scenarios.starts_with("\n## Bear"));
    assert_eq!(
        saved,
        format!("{cells}extra = (gap -  # what is left\n  $25B)\n{scenarios}").replacen(
            "\nmargin = 50%\n",
            "\nmargin = 40%\n",
            1
        )
    );
}
