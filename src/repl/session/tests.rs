use super::*;
use crate::repl::input::handle;
use crate::syntax::parse_expression;

const AI: &str = include_str!("../../../models/ai_200b.model");

fn ai() -> Session {
    let model = Model::parse("models/ai_200b.model", AI.to_string()).unwrap();
    Session::new(model, Some("models/ai_200b.model".to_string()))
}

fn small(src: &str) -> Session {
    Session::new(Model::parse("m.model", src.to_string()).unwrap(), None)
}

/// The moved cells as the REPL prints them.
fn lines(o: &Outcome) -> Vec<String> {
    o.moved
        .iter()
        .map(|m| match (&m.old, &m.new) {
            (Some(a), Some(b)) => format!("{}  {a} → {b}", m.name),
            (None, Some(b)) => format!("{}  {b}", m.name),
            (Some(a), None) => format!("{}  {a} → (removed)", m.name),
            (None, None) => m.name.clone(),
        })
        .collect()
}

fn def(text: &str) -> Definition {
    Definition::parse(text).unwrap()
}

/// A query's shown value, or `error: ` and its error's message.
fn q(s: &Session, text: &str) -> String {
    let (e, p) = parse_expression(text).unwrap();
    s.query(&e, p.as_ref())
        .unwrap_or_else(|e| format!("error: {e}"))
}

/// Every cell's name and shown value, for "nothing changed" checks.
fn snapshot(s: &Session) -> Vec<(String, String)> {
    s.model()
        .cells_in_order()
        .iter()
        .map(|&id| {
            (
                s.model().name(id).unwrap().to_string(),
                crate::explain::shown(s.book(), id),
            )
        })
        .collect()
}

#[test]
fn queries_show_values_as_the_model_does() {
    let s = ai();
    assert_eq!(q(&s, "gap"), "$125B");
    assert_eq!(q(&s, "required_revenue / 2"), "$100B");
    assert_eq!(q(&s, "margin"), "50%");
    assert_eq!(q(&s, "(covered)"), "37.5%");
    assert_eq!(q(&s, "margin * 2"), "1");
    assert_eq!(q(&s, "margin * 2 as %"), "100%");
    assert_eq!(q(&s, "sum(revenue.*) > $70B"), "true");
    assert_eq!(q(&s, "1 / 0"), "error: division by zero");
    let mut s = s;
    s.define("margin", def("0")).unwrap();
    assert_eq!(
        q(&s, "gap"),
        "error: depends on 'required_revenue': division by zero"
    );
    assert_eq!(
        q(&s, "gap * 2"),
        "error: depends on 'gap': division by zero (in 'required_revenue')"
    );
    assert_eq!(
        q(&s, "gpu_spen * 2"),
        "error: unknown name 'gpu_spen' (did you mean 'gpu_spend'?)"
    );
}

#[test]
fn a_redefinition_prints_what_moved_in_dependency_order() {
    let mut s = ai();
    let o = s.define("margin", def("60%")).unwrap();
    assert_eq!(
        lines(&o),
        [
            "margin  50% → 60%",
            "required_revenue  $200B → $166.67B",
            "gap  $125B → $91.67B",
            "covered  37.5% → 45%",
        ]
    );
    assert_eq!(q(&s, "gap"), "$91.67B");
}

#[test]
fn unchanged_cells_are_not_printed() {
    let mut s = ai();
    // energy_per_gpu_dollar 1 → 1.0: same value, nothing moves.
    let o = s.define("energy_per_gpu_dollar", def("1.0")).unwrap();
    assert!(lines(&o).is_empty());
    let o = s.define("revenue.openai", def("$2B")).unwrap();
    assert_eq!(
        lines(&o),
        [
            "revenue.openai  $1B → $2B",
            "ai_revenue  $75B → $76B",
            "gap  $125B → $124B",
            "covered  37.5% → 38%",
        ]
    );
}

#[test]
fn a_new_cell_shows_its_value_alone() {
    let mut s = ai();
    let o = s.define("tax", def("20%")).unwrap();
    assert_eq!(lines(&o), ["tax  20%"]);
    let o = s.define("after_tax", def("gap * (1 - tax)")).unwrap();
    assert_eq!(lines(&o), ["after_tax  $100B"]);
}

#[test]
fn a_new_group_member_moves_the_sums() {
    let mut s = ai();
    let o = s.define("revenue.amazon", def("$5B")).unwrap();
    assert_eq!(
        lines(&o),
        [
            "revenue.amazon  $5B",
            "ai_revenue  $75B → $80B",
            "gap  $125B → $120B",
            "covered  37.5% → 40%",
        ]
    );
}

#[test]
fn refusals_leave_the_model_exactly_as_it_was() {
    let mut s = ai();
    s.define("margin", def("60%")).unwrap();
    let before = snapshot(&s);
    let edits = s.edits().to_vec();
    assert_eq!(
        s.define("gap", def("gpu_spen * 2"))
            .unwrap_err()
            .to_string(),
        "unknown name 'gpu_spen' (did you mean 'gpu_spend'?)"
    );
    assert_eq!(
        s.define("margin", def("gap / $1T"))
            .unwrap_err()
            .to_string(),
        "that would make a cycle: margin -> gap -> required_revenue -> margin"
    );
    assert_eq!(
        s.define("gap", def("gap + 1")).unwrap_err().to_string(),
        "that would make a cycle: gap -> gap"
    );
    assert_eq!(
        s.define("tax", def("sum(costs.*)"))
            .unwrap_err()
            .to_string(),
        "no cells in the group 'costs.*'"
    );
    assert!(matches!(
        s.define("gap", def("gap + 1")),
        Err(SessionError::Refused(Refusal::Cycle(_)))
    ));
    assert_eq!(snapshot(&s), before);
    assert_eq!(s.edits(), edits.as_slice());
    // The refusals left nothing to undo: one undo takes back margin = 60%.
    let (what, _) = s.undo().unwrap();
    assert_eq!(what, "margin = 60%");
    assert!(matches!(s.undo(), Err(SessionError::NothingToUndo)));
}

#[test]
fn a_line_that_does_not_parse_is_refused_and_changes_nothing() {
    let mut s = ai();
    let before = snapshot(&s);
    let r = handle(&mut s, "margin = 60%%");
    assert_eq!(r.out_text(), "");
    assert!(r.err_text().starts_with("error: "), "{}", r.err_text());
    let r = handle(&mut s, "margin = (1 +");
    assert_eq!(
        r.err_text(),
        "error: this '(' is never closed (add the matching ')')"
    );
    let r = handle(&mut s, "scenario x {");
    assert_eq!(
        r.err_text(),
        "error: scenarios are written in the model file; :scenario NAME switches to one"
    );
    assert_eq!(snapshot(&s), before);
    assert!(s.edits().is_empty());
}

#[test]
fn changes_compare_with_the_file_and_returning_to_it_drops_the_change() {
    let mut s = ai();
    s.define("margin", def("60%")).unwrap();
    s.define("tax", def("20%")).unwrap();
    let names: Vec<&str> = s.edits().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["margin", "tax"]);
    s.define("margin", def("50%")).unwrap();
    let names: Vec<&str> = s.edits().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["tax"]);
}

#[test]
fn reset_puts_a_cell_back_and_removes_a_new_one() {
    let mut s = ai();
    s.define("margin", def("60%")).unwrap();
    s.define("tax", def("20%")).unwrap();
    let o = s.reset("margin").unwrap();
    assert_eq!(
        lines(&o),
        [
            "margin  60% → 50%",
            "required_revenue  $166.67B → $200B",
            "gap  $91.67B → $125B",
            "covered  45% → 37.5%",
        ]
    );
    // Back to the file's definition, with its line.
    let id = s.model().defined("margin").unwrap();
    assert_eq!(s.model().definition(id).unwrap().line, 17);
    let o = s.reset("tax").unwrap();
    assert_eq!(lines(&o), ["tax  20% → (removed)"]);
    assert!(s.model().defined("tax").is_none());
    assert_eq!(
        s.reset("gpu_spen").unwrap_err().to_string(),
        "unknown name 'gpu_spen' (did you mean 'gpu_spend'?)"
    );
    let o = s.reset("gap").unwrap();
    assert_eq!(o.notes, ["'gap' has no change in this session"]);
}

#[test]
fn undo_goes_back_any_depth_through_resets() {
    let mut s = ai();
    let file = snapshot(&s);
    s.define("margin", def("60%")).unwrap();
    let after_margin = snapshot(&s);
    s.define("tax", def("20%")).unwrap();
    s.define("gpu_spend", def("$60B")).unwrap();
    let after_three = snapshot(&s);
    let o = s.reset_all().unwrap();
    assert_eq!(
        lines(&o),
        [
            "gpu_spend  $60B → $50B",
            "energy  $60B → $50B",
            "data_center  $120B → $100B",
            "margin  60% → 50%",
            "tax  20% → (removed)",
        ]
    );
    assert_eq!(snapshot(&s), file);
    let (what, _) = s.undo().unwrap();
    assert_eq!(what, ":reset all");
    assert_eq!(snapshot(&s), after_three);
    let (what, o) = s.undo().unwrap();
    assert_eq!(what, "gpu_spend = $60B");
    assert_eq!(lines(&o)[0], "gpu_spend  $60B → $50B");
    let (what, o) = s.undo().unwrap();
    assert_eq!(what, "tax = 20%");
    assert_eq!(lines(&o), ["tax  20% → (removed)"]);
    assert_eq!(snapshot(&s), after_margin);
    s.undo().unwrap();
    assert_eq!(snapshot(&s), file);
    assert!(s.edits().is_empty());
    assert!(matches!(s.undo(), Err(SessionError::NothingToUndo)));
}

#[test]
fn defining_a_missing_name_brings_its_readers_to_life_and_undo_takes_it_back() {
    let mut s = small("x = y + 1\n");
    assert_eq!(
        crate::explain::shown(s.book(), s.model().defined("x").unwrap()),
        "error: unknown name 'y'"
    );
    let o = s.define("y", def("2")).unwrap();
    assert_eq!(lines(&o), ["y  2", "x  error: unknown name 'y' → 3"]);
    let (_, o) = s.undo().unwrap();
    assert_eq!(
        lines(&o),
        ["x  3 → error: unknown name 'y'", "y  2 → (removed)"]
    );
}

#[test]
fn a_cycle_in_the_file_can_be_broken_and_undone() {
    let mut s = small("a = b + 1\nb = a + 1\nc = 5\n");
    let o = s.define("a", def("c")).unwrap();
    assert_eq!(
        lines(&o),
        [
            "a  error: cycle: a -> b -> a (lines 1, 2) → 5",
            "b  error: cycle: b -> a -> b (lines 2, 1) → 6"
        ]
    );
    let (_, o) = s.undo().unwrap();
    let mut back = lines(&o);
    back.sort();
    assert_eq!(
        back,
        [
            "a  5 → error: cycle: a -> b -> a (lines 1, 2)",
            "b  6 → error: cycle: b -> a -> b (lines 2, 1)"
        ]
    );
}

#[test]
fn scenarios_switch_with_the_session_changes_on_top() {
    let mut s = ai();
    let o = s.switch_scenario("bear").unwrap();
    assert_eq!(
        lines(&o),
        [
            "margin  50% → 40%",
            "required_revenue  $200B → $250B",
            "gap  $125B → $175B",
            "covered  37.5% → 30%",
        ]
    );
    assert!(o.notes.is_empty());
    s.define("gpu_spend", def("$60B")).unwrap();
    s.define("margin", def("60%")).unwrap();
    let o = s.switch_scenario("bull").unwrap();
    assert_eq!(
        o.notes,
        ["your 2 changes of this session stay applied on top of scenario bull"]
    );
    assert_eq!(q(&s, "margin"), "60%");
    assert_eq!(q(&s, "energy"), "$36B");
    let o = s.switch_scenario("bear").unwrap();
    assert_eq!(
        o.notes,
        ["your 2 changes of this session stay applied on top of scenario bear, hiding its override of margin"]
    );
    assert_eq!(q(&s, "margin"), "60%");
    // :reset goes back to the scenario's formula.
    let o = s.reset("margin").unwrap();
    assert_eq!(lines(&o)[0], "margin  60% → 40%");
    assert_eq!(
        s.switch_scenario("baer").unwrap_err().to_string(),
        "no scenario named 'baer' (did you mean 'bear'?)"
    );
    assert_eq!(
        s.switch_scenario("bear").unwrap().notes,
        ["already in scenario bear"]
    );
    let o = s.switch_scenario("base").unwrap();
    assert_eq!(
        lines(&o),
        [
            "margin  40% → 50%",
            "required_revenue  $300B → $240B",
            "gap  $225B → $165B",
            "covered  25% → 31.25%",
        ]
    );
    assert_eq!(q(&s, "energy"), "$60B");
}

#[test]
fn a_scenario_that_would_clash_with_a_change_is_refused() {
    let mut s = small("a = 1\nb = 2\nscenario s {\n  a = b\n}\n");
    s.define("b", def("a")).unwrap();
    let before = snapshot(&s);
    assert_eq!(
        s.switch_scenario("s").unwrap_err().to_string(),
        "cannot switch to scenario s: your change 'b = a' would not apply (that would make a cycle: b -> a -> b); :reset it first"
    );
    assert_eq!(s.scenario(), "base");
    assert_eq!(snapshot(&s), before);
}

#[test]
fn reload_keeps_the_changes_that_still_apply() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, "a = 1\nb = 2\nc = a + b\n").unwrap();
    let path = path.to_str().unwrap().to_string();
    let mut s = Session::new(crate::model::load_file(&path).unwrap(), Some(path.clone()));
    s.define("a", def("10")).unwrap();
    s.define("d", def("b * 2")).unwrap();
    s.define("c", def("a * 3")).unwrap();
    std::fs::write(&path, "a = 1\nc = a * 3\ne = 7\n").unwrap();
    let o = s.reload().unwrap();
    assert_eq!(
        o.notes,
        [
            format!("reloaded {path}: 3 cells, your 1 change kept"),
            "'c = a * 3' is now in the file".to_string(),
            "your change 'd = b * 2' no longer applies: unknown name 'b'".to_string(),
        ]
    );
    assert_eq!(lines(&o), ["e  7", "b  2 → (removed)", "d  4 → (removed)"]);
    assert_eq!(q(&s, "c"), "30");
    std::fs::write(&path, "a = (1\n").unwrap();
    let e = s.reload().unwrap_err();
    assert!(matches!(e, SessionError::Load(_)));
    let e = e.to_string();
    assert!(
        e.starts_with(&format!(
            "{path} has 1 error; the session keeps the model as it was\n  {path}:1:5: "
        )),
        "{e}"
    );
    assert_eq!(q(&s, "c"), "30");
    assert_eq!(
        small("a = 1\n").reload().unwrap_err().to_string(),
        "no file to reload: this session started without one"
    );
}

#[test]
fn an_empty_session_starts_with_no_cells() {
    let mut s = Session::empty();
    assert!(s.model().cells_in_order().is_empty());
    assert_eq!(lines(&s.define("x", def("2")).unwrap()), ["x  2"]);
    assert_eq!(lines(&s.define("y", def("x * 3")).unwrap()), ["y  6"]);
    assert_eq!(
        lines(&s.define("x", def("3")).unwrap()),
        ["x  2 → 3", "y  6 → 9"]
    );
}

#[test]
fn a_session_on_a_loaded_file_answers_as_one_that_keeps_the_file() {
    // `Session::loaded` reads the file again only when it needs it whole;
    // every answer must be the one a session keeping its copy gives.
    let script = "\
gpu_spend = $60B
:changes
margin = 45%
gpu_spend = $50B
:changes
:undo
:reset margin
:changes
revenue.new = $1B
:scenario bull
energy_per_gpu_dollar = 2
:changes
:reset energy_per_gpu_dollar
:scenario base
:reset all
margin = 40%
:undo
:undo
:changes
gap
";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ai.model");
    std::fs::write(&path, AI).unwrap();
    let path = path.to_str().unwrap().to_string();
    let run = |session: &mut Session, input: &str| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let verdict = crate::repl::script::run(
            session,
            &mut std::io::Cursor::new(input.as_bytes()),
            &mut out,
            &mut err,
        );
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
            format!("{verdict:?}"),
        )
    };
    let load = || crate::model::load_file(&path).unwrap();
    let kept = run(&mut Session::new(load(), Some(path.clone())), script);
    let loaded = run(&mut Session::loaded(load(), Some(path.clone())), script);
    assert!(kept.0.contains("revenue.new"), "{}", kept.0);
    assert_eq!(loaded, kept);
    // Each operation that needs the whole file, first thing in a session.
    for first in [
        ":scenario bear\n",
        ":reset all\n",
        "margin = 40%\n:undo\n",
        ":save\n",
    ] {
        std::fs::write(&path, AI).unwrap();
        let kept = run(&mut Session::new(load(), Some(path.clone())), first);
        let kept_file = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, AI).unwrap();
        let loaded = run(&mut Session::loaded(load(), Some(path.clone())), first);
        assert_eq!(loaded, kept, "{first}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            kept_file,
            "{first}"
        );
    }
}
