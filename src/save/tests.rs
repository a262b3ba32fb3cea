use super::*;
use crate::eval::Workbook;

/// A definition as the REPL makes one from `name = text`.
fn def(text: &str) -> Definition {
    Definition::parse(text).unwrap()
}

fn session(source: &str, changes: &[(&str, &str)]) -> (Model, Workbook) {
    let loaded = Model::parse("m.model", source.to_string()).unwrap();
    let mut book = Workbook::new(loaded.clone());
    for (name, text) in changes {
        book.redefine(name, def(text)).unwrap();
    }
    (loaded, book)
}

fn saved(source: &str, changes: &[(&str, &str)]) -> String {
    let (loaded, book) = session(source, changes);
    let edits = session_edits(&loaded, book.model()).unwrap();
    saved_text(source, &loaded, &edits).unwrap()
}

const MODEL: &str = "\
# The $200B question
## GPU spend
gpu_spend = $50B   # annual
  energy = gpu_spend*1 # one for one
margin = 50%
required = (gpu_spend + # GPUs
  energy) / margin  # revenue needed

scenario bear {
  margin = 40%  # worse
}
";

#[test]
fn only_changed_lines_are_rewritten() {
    let out = saved(MODEL, &[("margin", "45%"), ("energy", "gpu_spend * 1.2")]);
    assert_eq!(
        out,
        MODEL.replace("margin = 50%", "margin = 45%").replace(
            "energy = gpu_spend*1 # one",
            "energy = gpu_spend * 1.2 # one"
        )
    );
}

#[test]
fn new_cells_go_before_the_first_scenario() {
    let out = saved(
        MODEL,
        &[("tax", "20%"), ("after_tax", "required * (1 - tax)")],
    );
    assert_eq!(
        out,
        MODEL.replace(
            "margin  # revenue needed\n\nscenario",
            "margin  # revenue needed\ntax = 20%\nafter_tax = required * (1 - tax)\n\nscenario"
        )
    );
    // Above the scenario's doc and comment lines, and a blank line apart when there was none.
    let src = "a = 1\n# the cases\n## worse\nscenario low {\n  a = 0\n}\nscenario high { a = 2 }\n";
    assert_eq!(
        saved(src, &[("b", "a * 2")]),
        "a = 1\nb = a * 2\n\n# the cases\n## worse\nscenario low {\n  a = 0\n}\nscenario high { a = 2 }\n"
    );
    // Without scenarios, at the end.
    assert_eq!(saved("a = 1\n\n", &[("b", "a")]), "a = 1\n\nb = a\n");
}

#[test]
fn a_definition_typed_over_several_lines_keeps_its_line_breaks() {
    let src = "a = 1\nb = 2\n\nscenario s { a = 3 }\n";
    let (loaded, _) = session(src, &[]);
    let typed = |name: &str, text: &str| {
        let Ok(Statement::Cell(c)) = parse_statement(text) else {
            panic!("{text}")
        };
        CellEdit {
            name: name.into(),
            def: Definition::from_cell_def(c, 0, None),
            written: Some(text.to_string()),
        }
    };
    let edits = [
        typed("c", "c = (a +   # first\n b)"),
        typed("b", "b = max(a,\n      1)"),
    ];
    assert_eq!(
        saved_text(src, &loaded, &edits).unwrap(),
        "a = 1\nb = max(a,\n  1)\nc = (a +  # first\n  b)\n\nscenario s { a = 3 }\n"
    );
    // A text that no longer reads as the formula is not trusted: one line.
    let mut stale = typed("c", "c = (a +\n b)");
    stale.def = def("a - b");
    assert_eq!(
        saved_text(src, &loaded, &[stale]).unwrap(),
        "a = 1\nb = 2\nc = a - b\n\nscenario s { a = 3 }\n"
    );
}

#[test]
fn unchanged_session_saves_the_same_bytes() {
    assert_eq!(saved(MODEL, &[("margin", "50%")]), MODEL);
    assert_eq!(saved(MODEL, &[]), MODEL);
}

#[test]
fn comments_inside_a_multiline_definition_are_kept() {
    let out = saved(MODEL, &[("required", "gpu_spend / margin as %")]);
    assert!(
        out.contains("required = gpu_spend / margin as %  # revenue needed\n# GPUs\n\nscenario")
    );
    for line in MODEL.lines().filter(|l| l.contains('#')) {
        let comment = &line[line.find('#').unwrap()..];
        assert!(out.contains(comment), "lost {comment:?} in\n{out}");
    }
}

#[test]
fn the_saved_file_gives_the_session_values() {
    let changes = [
        ("margin", "45%"),
        ("energy", "gpu_spend * 1.2"),
        ("tax", "20%"),
        ("net", "required * (1 - tax)"),
        ("required", "(gpu_spend + energy) / margin as %"),
    ];
    let (_, book) = session(MODEL, &changes);
    let out = saved(MODEL, &changes);
    let reloaded = Workbook::new(Model::parse("m.model", out.clone()).unwrap());
    let session_model = book.model();
    assert_eq!(
        reloaded.model().cells_in_order().len(),
        session_model.cells_in_order().len()
    );
    for &id in session_model.cells_in_order() {
        let name = session_model.name(id).unwrap();
        assert_eq!(reloaded.value_of(name), book.value(id), "{name} in\n{out}");
        let percent = |m: &Model| {
            m.defined(name)
                .and_then(|i| m.definition(i))
                .map(|d| d.percent)
        };
        assert_eq!(percent(reloaded.model()), percent(session_model), "{name}");
    }
    for line in MODEL.lines().filter(|l| l.contains('#')) {
        let comment = &line[line.find('#').unwrap()..];
        assert!(out.contains(comment), "lost {comment:?}");
    }
}

#[test]
fn crlf_and_missing_final_newline() {
    let src = "a = 1\r\nb = a + 1";
    assert_eq!(
        saved(src, &[("a", "2"), ("c", "b")]),
        "a = 2\r\nb = a + 1\r\nc = b\r\n"
    );
}

#[test]
fn new_cells_keep_their_doc() {
    let (loaded, _) = session("a = 1\n", &[]);
    let mut d = def("a * 2");
    d.doc = Some(Box::<str>::from("twice a").into());
    let edits = [CellEdit {
        name: "b".into(),
        def: d,
        written: None,
    }];
    assert_eq!(
        saved_text("a = 1\n", &loaded, &edits).unwrap(),
        "a = 1\n## twice a\nb = a * 2\n"
    );
}

#[test]
fn a_stale_text_is_refused() {
    let (loaded, book) = session(MODEL, &[("margin", "45%")]);
    let edits = session_edits(&loaded, book.model()).unwrap();
    let other = MODEL.replace("# The $200B question\n", "");
    assert!(matches!(
        saved_text(&other, &loaded, &edits),
        Err(SaveError::Stale(_))
    ));
}

#[test]
fn save_refuses_a_file_changed_on_disk_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, MODEL).unwrap();
    let loaded = crate::model::load_file(path.to_str().unwrap()).unwrap();
    let mut book = Workbook::new(loaded.clone());
    book.redefine("margin", def("45%")).unwrap();

    std::fs::write(&path, format!("{MODEL}# someone else\n")).unwrap();
    let err = save(&loaded, book.model(), None, false).unwrap_err();
    assert!(matches!(err, SaveError::ChangedOnDisk(_)));
    assert!(
        err.to_string()
            .contains("changed on disk since it was loaded"),
        "{err}"
    );
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .ends_with("# someone else\n"));

    let done = save(&loaded, book.model(), None, true).unwrap();
    assert_eq!(done.changed, vec!["margin".to_string()]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        MODEL.replace("= 50%", "= 45%")
    );
}

#[test]
fn save_writes_when_unchanged_and_guards_other_paths() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, MODEL).unwrap();
    let loaded = crate::model::load_file(path.to_str().unwrap()).unwrap();
    let mut book = Workbook::new(loaded.clone());
    book.redefine("tax", def("20%")).unwrap();
    let done = save(&loaded, book.model(), None, false).unwrap();
    assert_eq!(done.added, vec!["tax".to_string()]);
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("tax = 20%\n\nscenario bear {"));

    let copy = dir.path().join("copy.model");
    save(&loaded, book.model(), Some(&copy), false).unwrap();
    let err = save(&loaded, book.model(), Some(&copy), false).unwrap_err();
    assert!(matches!(err, SaveError::Exists(_)), "{err}");
    save(&loaded, book.model(), Some(&copy), true).unwrap();

    let empty = Model::new("", "");
    assert!(matches!(
        save(&empty, book.model(), None, false),
        Err(SaveError::NoPath)
    ));
}

#[test]
fn edits_back_to_the_file_formula_are_no_change() {
    let (loaded, _) = session(MODEL, &[]);
    let edits = [
        CellEdit {
            name: "energy".into(),
            def: def("gpu_spend * 1"),
            written: None,
        },
        CellEdit {
            name: "margin".into(),
            def: def("45%"),
            written: None,
        },
    ];
    let out = saved_text(MODEL, &loaded, &edits).unwrap();
    assert_eq!(out, MODEL.replace("margin = 50%", "margin = 45%"));
}
