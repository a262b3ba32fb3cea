use super::*;
use crate::eval::Workbook;
use crate::model::Model;

fn book(path: &str, src: &str) -> Workbook {
    Workbook::new(Model::parse(path, src.to_string()).unwrap())
}

fn d(old: &str, new: &str) -> Diff {
    diff(&book("old.model", old), &book("new.model", new)).unwrap()
}

const BASE: &str = "\
gpu_spend = $50B
energy = gpu_spend * 1
data_center = gpu_spend + energy
margin = 50%
required_revenue = data_center / margin
ai_revenue = $75B
gap = required_revenue - ai_revenue
covered = ai_revenue / required_revenue as %

scenario bear {
  margin = 40%
}
";

#[test]
fn layout_and_spelling_are_not_changes() {
    let respaced = "gpu_spend=$50_000M\nenergy=gpu_spend*1   # same\ndata_center = gpu_spend+energy\n\n\nmargin = 50%\nrequired_revenue = data_center/margin\nai_revenue = $75B\ngap = required_revenue-ai_revenue\ncovered = ai_revenue/required_revenue as %\nscenario bear { margin = 40% }\n";
    let diff = d(BASE, respaced);
    assert!(diff.is_empty(), "{diff:#?}");
    assert_eq!(diff.unchanged, 8);
    assert_eq!(
        render_text(&diff, false),
        "diff old.model → new.model\n\nno differences; 8 cells unchanged\n"
    );
}

#[test]
fn a_changed_input_moves_its_dependents_in_order() {
    let diff = d(BASE, &BASE.replace("margin = 50%", "margin = 40%"));
    assert_eq!(diff.inputs.len(), 1);
    let input = &diff.inputs[0];
    assert_eq!(
        (
            input.name.as_str(),
            input.old.display(),
            input.new.display()
        ),
        ("margin", "50%".into(), "40%".into())
    );
    let names: Vec<&str> = diff.values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["required_revenue", "gap", "covered"]);
    let gap = &diff.values[1];
    assert_eq!(gap.old.display(), "$125B");
    assert_eq!(gap.new.display(), "$175B");
    assert_eq!(gap.difference.as_ref().unwrap().display(), "+$50B");
    assert_eq!(gap.change_percent.as_ref().unwrap().display, "+40%");
    assert_eq!(gap.change_percent.as_ref().unwrap().value, "40");
    let covered = &diff.values[2];
    assert_eq!(covered.difference.as_ref().unwrap().display(), "-7.5 pp");
    assert_eq!(covered.change_percent.as_ref().unwrap().display, "-20%");
    assert_eq!(diff.unchanged, 4);
    assert!(diff.formulas.is_empty() && diff.added.is_empty() && diff.scenarios.is_empty());
}

#[test]
fn the_text_has_every_section_in_order() {
    let new = BASE
        .replace("margin = 50%", "margin = 45%")
        .replace("energy = gpu_spend * 1", "energy = gpu_spend * 1.2")
        .replace("ai_revenue = $75B", "ai_revenue = $70B\ntax = 20%")
        .replace("covered", "coverage")
        .replace("  margin = 40%", "  margin = 35%");
    let text = render_text(&d(BASE, &new), false);
    assert_eq!(
        text,
        "\
diff old.model → new.model

changed inputs
  margin      50% → 45%
  ai_revenue  $75B → $70B

changed formulas
  energy  gpu_spend * 1 → gpu_spend * 1.2

added cells
  + tax = 20%  ⇒ 20%

renamed cells
  covered → coverage  = ai_revenue / required_revenue as %

changed scenarios
  scenario bear
    margin  40% → 35%

changed values
  energy            $50B  → $60B      +$10B     +20%
  data_center       $100B → $110B     +$10B     +10%
  required_revenue  $200B → $244.44B  +$44.44B  +22.22%
  gap               $125B → $174.44B  +$49.44B  +39.56%
  coverage          37.5% → 28.64%    -8.86 pp  -23.64%

1 cell unchanged
"
    );
}

#[test]
fn renames_need_a_unique_formula() {
    // Two removed cells with one formula: neither is a rename.
    let diff = d("a = 1\nb = 1\nc = 2\n", "x = 1\ny = 2\n");
    assert_eq!(diff.renamed.len(), 1);
    assert_eq!(
        (diff.renamed[0].old.as_str(), diff.renamed[0].new.as_str()),
        ("c", "y")
    );
    let removed: Vec<&str> = diff.removed.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(removed, ["a", "b"]);
    assert_eq!(diff.added[0].name, "x");
}

type Overrides = Vec<(String, Option<String>, Option<String>)>;

#[test]
fn scenarios_added_removed_changed() {
    let old = "m = 1\nn = 2\nscenario a {\n  m = 3\n}\nscenario b {\n  m = 4\n}\n";
    let new = "m = 1\nn = 2\nscenario a {\n  m = 3\n  n = 5\n}\nscenario c {\n  n = 6\n}\n";
    let diff = d(old, new);
    let got: Vec<(String, ScenarioStatus, Overrides)> = diff
        .scenarios
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.status,
                s.overrides
                    .iter()
                    .map(|o| (o.cell.clone(), o.old.clone(), o.new.clone()))
                    .collect(),
            )
        })
        .collect();
    let o = |c: &str, a: Option<&str>, b: Option<&str>| {
        (c.to_string(), a.map(String::from), b.map(String::from))
    };
    assert_eq!(
        got,
        vec![
            (
                "a".into(),
                ScenarioStatus::Changed,
                vec![o("n", None, Some("5"))]
            ),
            (
                "c".into(),
                ScenarioStatus::Added,
                vec![o("n", None, Some("6"))]
            ),
            (
                "b".into(),
                ScenarioStatus::Removed,
                vec![o("m", Some("4"), None)]
            ),
        ]
    );
    assert!(!diff.is_empty());
}

#[test]
fn errors_and_booleans_have_no_difference() {
    let diff = d(
        "a = 1\nb = 1 / a\nc = a > 0\n",
        "a = 0\nb = 1 / a\nc = a > 0\n",
    );
    assert_eq!(diff.values.len(), 2);
    assert_eq!(diff.values[0].new.display(), "error: division by zero");
    assert!(diff.values[0].difference.is_none());
    assert_eq!(diff.values[1].old.display(), "true");
    assert!(diff.values[1].change_percent.is_none());
}

#[test]
fn from_zero_there_is_no_percent() {
    let diff = d("a = 0\nb = a * 2\n", "a = 1\nb = a * 2\n");
    assert_eq!(diff.values[0].difference.as_ref().unwrap().display(), "+2");
    assert!(diff.values[0].change_percent.is_none());
}

#[test]
fn json_has_the_same_content() {
    let diff = d(BASE, &BASE.replace("margin = 50%", "margin = 40%"));
    let json: serde_json::Value = serde_json::from_str(&render_json(&diff)).unwrap();
    assert_eq!(json["inputs"][0]["name"], "margin");
    assert_eq!(json["inputs"][0]["old"]["value"], "0.5");
    assert_eq!(json["inputs"][0]["new"]["display"], "40%");
    assert_eq!(json["values"][1]["name"], "gap");
    assert_eq!(json["values"][1]["difference"]["value"], "50000000000");
    assert_eq!(json["values"][1]["difference"]["unit"], "USD");
    assert_eq!(json["values"][1]["change_percent"]["value"], "40");
    assert_eq!(json["unchanged"], 4);
    let back: Diff = serde_json::from_str(&render_json(&diff)).unwrap();
    assert_eq!(back, diff);
}

#[test]
fn colours_only_when_asked() {
    let diff = d(BASE, &BASE.replace("margin = 50%", "margin = 40%"));
    let plain = render_text(&diff, false);
    let coloured = render_text(&diff, true);
    assert!(!plain.contains('\x1b'));
    assert!(coloured.contains("\x1b[1mchanged inputs\x1b[0m"));
    assert!(coloured.contains("\x1b[31m50%\x1b[0m → \x1b[32m40%\x1b[0m"));
}

#[test]
fn a_range_input_shows_its_formulas_beside_its_medians() {
    let ranged = BASE.replace("margin = 50%\n", "margin = normal(40% to 60%)\n");
    let diff = d(BASE, &ranged);
    let margin = diff.inputs.iter().find(|c| c.name == "margin").unwrap();
    assert!(margin.uncertain);
    let text = render_text(&diff, false);
    assert!(
        text.contains("margin  50% → 50%  (50% → normal(40% to 60%))"),
        "{text}"
    );
    // Certain inputs keep their one-value line.
    let moved = d(BASE, &BASE.replace("margin = 50%", "margin = 45%"));
    assert!(!moved.inputs.iter().any(|c| c.uncertain));
    assert!(render_text(&moved, false).contains("margin  50% → 45%\n"));
}
