//! Properties of `fmt` on generated models: it is idempotent, it keeps every
//! value, and it keeps every comment in order.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use premise::eval::Workbook;
use premise::fmt::format_source;
use premise::model::Model;
use proptest::prelude::*;

/// Spacing between tokens: nothing, spaces or a tab.
fn ws() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", " ", "  ", "\t"])
}

fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..1000).prop_map(|n| n.to_string()),
        Just("2.5".to_string()),
        Just("1_000".to_string()),
        Just("50%".to_string()),
        Just("$3M".to_string()),
        Just("1e-3".to_string()),
        Just("2.5E2".to_string()),
        Just("7 [W]".to_string()),
    ]
}

/// A formula over the cells `c0 .. c{n-1}`, written with random spacing and,
/// inside parentheses, random line breaks and comments.
fn expr(n: usize) -> impl Strategy<Value = String> {
    let leaf = if n == 0 {
        literal().boxed()
    } else {
        prop_oneof![literal(), (0..n).prop_map(|i| format!("c{i}"))].boxed()
    };
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                ws(),
                prop::sample::select(vec!["+", "-", "*", "/"]),
                ws(),
                inner.clone()
            )
                .prop_map(|(a, s, op, t, b)| format!("{a}{s}{op}{t}{b}")),
            // Comparisons do not chain: each in its own parentheses.
            (
                inner.clone(),
                ws(),
                prop::sample::select(vec![">", "==", "<="]),
                inner.clone()
            )
                .prop_map(|(a, s, op, b)| format!("({a}{s}{op}{s}{b})")),
            (ws(), inner.clone(), ws()).prop_map(|(s, e, t)| format!("({s}{e}{t})")),
            (inner.clone(), inner.clone(), any::<bool>()).prop_map(|(a, b, comment)| {
                let note = if comment { "  # inside" } else { "" };
                format!("(\n   {a} +{note}\n\n        {b}\n)")
            }),
            inner.clone().prop_map(|e| format!("-{e}")),
            (inner.clone(), ws(), inner.clone()).prop_map(|(a, s, b)| format!("MAX({a},{s}{b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("if {c} > 0 then {a}  else {b}")),
            inner.prop_map(|e| format!("round({e}, 2)")),
        ]
    })
}

/// What may stand between statements.
fn trivia() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => Just("\n\n".to_string()),
        1 => Just("   # a note (with a paren\n".to_string()),
        1 => Just("## doc of the next cell\n".to_string()),
        1 => Just("\n  \t\n\n".to_string()),
    ]
}

/// A model of up to eight cells, each reading only earlier ones, and maybe a scenario.
fn model() -> impl Strategy<Value = String> {
    (1usize..8)
        .prop_flat_map(|n| {
            let cells: Vec<_> = (0..n)
                .map(|i| (trivia(), ws(), ws(), expr(i), any::<bool>(), any::<bool>()))
                .collect();
            (cells, any::<bool>(), ws())
        })
        .prop_map(|(cells, scenario, s)| {
            let mut text = String::new();
            for (i, (before, a, b, e, comment, percent)) in cells.into_iter().enumerate() {
                text.push_str(&before);
                let pct = if percent { " as  %" } else { "" };
                let note = if comment { " #why" } else { "" };
                text.push_str(&format!("{a}c{i}{a}={b}{e}{pct}{note}\n"));
            }
            if scenario {
                text.push_str(&format!("scenario  s{s}{{\n{s}c0={s}2\n# inside\n }}\n"));
            }
            text
        })
}

fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.find('#').map(|at| l[at..].trim_end().to_string()))
        .collect()
}

fn values(text: &str, scenario: &str) -> Vec<(String, String)> {
    let model = Model::parse("m.model", text.to_string()).unwrap();
    let model = model.with_scenario(scenario).unwrap();
    let book = Workbook::new(model);
    let m = book.model();
    m.cells_in_order()
        .iter()
        .map(|&id| {
            let shown = match book.value(id) {
                Some(Ok(v)) => format!("{v:?} {}", m.definition(id).unwrap().percent),
                Some(Err(e)) => format!("error {}", e.message),
                None => "none".to_string(),
            };
            (m.name(id).unwrap().to_string(), shown)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn fmt_is_idempotent_and_keeps_values_and_comments(src in model()) {
        let once = format_source(&src).unwrap();
        let twice = format_source(&once).unwrap();
        prop_assert_eq!(&twice, &once);
        prop_assert_eq!(values(&once, "base"), values(&src, "base"));
        if src.contains("scenario") {
            prop_assert_eq!(values(&once, "s"), values(&src, "s"));
        }
        prop_assert_eq!(comments(&once), comments(&src));
        prop_assert!(!once.contains("\n\n\n"));
        // Every statement was re-spaced (none left verbatim): no tabs or double spaces in code.
        for line in once.lines() {
            let code = line.split('#').next().unwrap_or("").trim();
            prop_assert!(!code.contains("  ") && !code.contains('\t'), "{:?} in\n{}", line, once);
        }
        prop_assert!(once.is_empty() || once.ends_with('\n') && !once.ends_with("\n\n"));
    }
}

#[test]
fn a_generated_model_formats_as_expected() {
    let src = "c0 =1_000#why\n\n\n## doc\nc1=(\n   c0 +  # inside\n\n        2\n)  as  %\nscenario  s {\nc0= 2\n# inside\n }\n";
    assert_eq!(
        format_source(src).unwrap(),
        "c0 = 1_000  #why\n\n## doc\nc1 = (\n  c0 +  # inside\n\n  2\n) as %\nscenario s {\n  c0 = 2\n  # inside\n}\n"
    );
}
