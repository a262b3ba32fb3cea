//! Units that convert (docs/language.md#units): the built-in units of time,
//! energy, power and data, units a model declares, `as [UNIT]`, and what
//! every command makes of them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use premise::display::format_exact;
use premise::model::Model;
use premise::value::Value;

use crate::engine::{book, eval, value_of_x};

/// Cell `x` of `src` as the analyst sees it, or its error.
fn shown(src: &str) -> String {
    let b = book(src);
    match b.value_of("x").unwrap() {
        Ok(_) => crate::engine::shown(src, "x"),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn adding_converts_into_the_first_operands_unit() {
    let table = [
        ("1 [kWh] + 500 [Wh]", "1.5 kWh"),
        ("500 [Wh] + 1 [kWh]", "1500 Wh"),
        ("1 [h] + 30 [min]", "1.5 h"),
        ("1 [min] + 1 [h]", "61 min"),
        ("2 [MW] - 500 [kW]", "1.5 MW"),
        ("1 [GB] + 500 [MB]", "1.5 GB"),
        ("1 [byte] + 8 [bit]", "2 byte"),
        ("1 [yr] - 1 [day]", "0.9972602739726027397260273973 yr"),
        ("1 [week] + 1 [day]", "1.1428571428571428571428571429 week"),
        ("1 [kWh] + 1 [kW*h]", "2 kWh"),
        ("$80 [/MWh] + $0.02 [/kWh]", "100 USD/MWh"),
        ("1 [GJ] + 1 [MWh]", "4.6 GJ"),
        ("2 [GPU] + 3 [GPU]", "5 GPU"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
}

#[test]
fn comparisons_and_aggregates_convert_too() {
    let table = [
        ("1 [kWh] == 1000 [Wh]", "true"),
        ("1 [kWh] != 1000 [Wh]", "false"),
        ("90 [min] > 1 [h]", "true"),
        ("1 [MW] <= 999 [kW]", "false"),
        (
            "sum(1 [MWh], 500 [kWh], 2 [GJ])",
            "2.0555555555555555555555555556 MWh",
        ),
        ("min(1 [h], 30 [min])", "0.5 h"),
        ("max(30 [min], 1 [h])", "60 min"),
        ("avg(1 [kW], 3000 [W])", "2 kW"),
        ("clamp(5 [MW], 100 [kW], 2000 [kW])", "2 MW"),
        ("count(1 [h], 1 [kWh])", "2"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
}

#[test]
fn products_cancel_units_of_one_dimension() {
    let table = [
        ("700 [W] * 10 [h] * $0.08 [/kWh]", "0.56 USD"),
        ("2 [MW] / 500 [kW]", "4"),
        (
            "100 [MW] / 40.8 [kW/rack]",
            "2450.9803921568627450980392157 rack",
        ),
        ("1 [kWh] / 1 [Wh]", "1000"),
        ("3 [h] * 2 [MW] / 1 [kW]", "6000 h"),
        ("8760 [h] / 1 [yr]", "1"),
        ("1 [GB] / 1 [MB]", "1000"),
        ("700 [W] * 10 [h]", "7000 W*h"),
        ("1 [kWh] / 1 [h]", "1 kWh/h"),
        ("$2.5 [/GPU*h] * 1000 [GPU] * 1 [yr]", "21900000 USD"),
        ("$80 [/MWh] * 1 [kWh]", "0.08 USD"),
        ("4 [GPU] / 2 [GPU]", "2"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
}

#[test]
fn rounding_functions_keep_the_unit() {
    let table = [
        ("round(1.25 [kWh], 1)", "1.3 kWh"),
        ("floor(2.7 [MW])", "2 MW"),
        ("ceil(2.1 [h])", "3 h"),
        ("abs(-3 [GB])", "3 GB"),
        ("(2 [kW])^2", "4 kW^2"),
        ("sqrt(4 [kW^2])", "2 kW"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
}

#[test]
fn mismatches_name_both_units_and_what_they_measure() {
    let table = [
        (
            "1 [kWh] + 1 [kW]",
            "error: cannot add [kWh] (energy) and [kW] (power)",
        ),
        (
            "1 [h] < 1 [GB]",
            "error: cannot compare [h] (time) and [GB] (data)",
        ),
        ("1 [kWh] + 1 [GPU]", "error: cannot add [kWh] and [GPU]"),
        ("$1 + 1 [W]", "error: cannot add [USD] and [W]"),
        (
            "sum(1 [MWh], 1 [MW])",
            "error: cannot add [MWh] (energy) and [MW] (power)",
        ),
        ("ln(1 [kWh])", "error: ln() needs a plain number, not [kWh]"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
    // a quotient whose units cancel is a plain number for ln
    assert_eq!(eval("ln(2 [MW] / 1 [kW])"), eval("ln(2000)"));
}

#[test]
fn conversions_that_leave_the_decimals_are_errors() {
    assert_eq!(
        eval("70000000000000000000000000000 [TWh] + 1 [J]"),
        "70000000000000000000000000000 TWh"
    );
    assert_eq!(
        eval("1 [J] + 70000000000000000000000000000 [TWh]"),
        "error: value out of range (premise's decimals hold up to about ±7.9e28)"
    );
}

#[test]
fn models_without_units_that_convert_show_as_before() {
    assert_eq!(shown("x = 150 [GPU]\n"), "150 GPU");
    assert_eq!(shown("x = $2 [/GPU] * 3 [GPU]\n"), "$6");
    assert_eq!(shown("x = 70 [W] * 10 [h]\n"), "700 W*h");
}

/// The first error of a file that does not load.
fn load_error(src: &str) -> String {
    match Model::parse("t.model", src.to_string()) {
        Ok(_) => panic!("{src:?} should not load"),
        Err(premise::model::LoadError::Invalid { errors, .. }) => {
            let d = errors[0].diagnostic();
            match &d.help {
                Some(h) => format!("{} (help: {h})", d.message),
                None => d.message,
            }
        }
        Err(e) => panic!("unexpected {e:?}"),
    }
}

#[test]
fn as_a_unit_converts_the_cell_and_shows_it_so() {
    let table = [
        (
            "power = 100 [MW]\nx = power * 8 [h] as [MWh]\n",
            "800 MWh",
            "800 MWh",
        ),
        ("x = 1 [week] as [h]\n", "168 h", "168 h"),
        ("x = 90 [min] as [h]\n", "1.5 h", "1.5 h"),
        ("x = 2500 [MWh] as [GWh]\n", "2.5 GWh", "2.5 GWh"),
        ("x = $80 [/MWh] as [USD/kWh]\n", "0.08 USD/kWh", "$0.08/kWh"),
        ("x = 7971.6 [MWh] / 1 [yr] as [kW]\n", "910 kW", "910 kW"),
        ("x = 3 [GPU] as [GPU]\n", "3 GPU", "3 GPU"),
        (
            "x = 100 [MW] as [MWh]\n",
            "error: cannot convert MW (power) to MWh (energy)",
            "error: cannot convert MW (power) to MWh (energy)",
        ),
        (
            "x = 5 as [MWh]\n",
            "error: cannot convert a plain number to MWh (energy)",
            "error: cannot convert a plain number to MWh (energy)",
        ),
        (
            "x = 2 [GPU] as [kW]\n",
            "error: cannot convert GPU to kW (power)",
            "error: cannot convert GPU to kW (power)",
        ),
    ];
    for (src, exact, display) in table {
        assert_eq!(value_of_x(src), exact, "{src}");
        assert_eq!(shown(src), display, "{src}");
    }
    // `as %` stays as it is
    assert_eq!(shown("x = 1 / 8 as %\n"), "12.5%");
}

#[test]
fn units_are_written_in_any_order_of_product_and_quotient() {
    let table = [
        ("2 [/GPU/h]", "2 1/GPU*h"),
        ("2 [/GPU*h]", "2 1/GPU*h"),
        ("1 [kW/rack/h]", "1 kW/h*rack"),
        ("1 [1/GPU/h]", "1 1/GPU*h"),
        ("$2 [/GPU/h]", "2 USD/GPU*h"),
        ("3 [m/s/s]", "3 m/s^2"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
}

#[test]
fn a_dollar_number_naming_usd_again_is_refused_with_both_spellings() {
    assert_eq!(
        load_error("x = $0.08 [USD/kWh]\n"),
        "$0.08 is already in USD: its brackets must not name USD again \
         (help: write $0.08 [/kWh] or 0.08 [USD/kWh])"
    );
    assert_eq!(
        load_error("x = $5 [USD]\n"),
        "$5 is already in USD: its brackets must not name USD again (help: write $5 or 5 [USD])"
    );
    assert_eq!(
        load_error("x = $3 [USD*GPU/h]\n"),
        "$3 is already in USD: its brackets must not name USD again \
         (help: write $3 [GPU/h] or 3 [USD*GPU/h])"
    );
    // and no message suggests writing USD in a `$` number's brackets
    for src in [
        "x = $0.08 USD\n",
        "x = $0.08 kWh\n",
        "x = $0.08 [USD/kWh]\n",
        "x = $2 [\n",
    ] {
        let message = load_error(src);
        assert!(
            !message.contains("$0.08 [USD") && !message.contains("[USD/kWh]")
                || message.contains("0.08 [USD/kWh])"),
            "{src}: {message}"
        );
    }
}

#[test]
fn a_unit_after_as_is_written_in_brackets() {
    assert_eq!(
        load_error("x = 5 as MWh\n"),
        "expected '%' or a unit such as [W] or [kW/rack], found 'MWh' \
         (help: a unit after 'as' goes in brackets: as [MWh])"
    );
    assert_eq!(
        load_error("x = 5 as\n"),
        "expected '%' or a unit such as [W] or [kW/rack], found the end of the line"
    );
}

#[test]
fn declared_units_convert_like_built_in_ones() {
    let src = "\
gas = 10 [MMBtu]
unit MMBtu = 1055.05585262 [MJ]
unit therm = 0.1 [MMBtu]
unit rack_slot = 4 [GPU]
unit pod
x = gas + 5 [therm]
in_gj = x as [GJ]
slots = 10 [GPU] as [rack_slot]
pods = 3 [pod] * 2
per_slot = 8 [GPU] / 1 [rack_slot]
";
    let b = book(src);
    let exact = |name: &str| match b.value_of(name).unwrap() {
        Ok(v @ Value::Number { unit, .. }) => format!("{} {unit}", format_exact(v)),
        other => format!("{other:?}"),
    };
    assert_eq!(exact("x"), "10.5 MMBtu");
    assert_eq!(exact("in_gj"), "11.07808645251 GJ");
    assert_eq!(exact("slots"), "2.5 rack_slot");
    assert_eq!(exact("pods"), "6 pod");
    assert_eq!(exact("per_slot"), "2 ");
}

#[test]
fn bad_declarations_are_refused_in_words() {
    let table = [
        (
            "unit kWh = 3600 [kJ]\n",
            "'kWh' is a built-in unit; a model cannot declare it again",
        ),
        (
            "unit pod\nunit pod\n",
            "unit 'pod' is declared twice (lines 1 and 2)",
        ),
        (
            "unit a = 0 [W]\n",
            "unit 'a': a unit's factor must be positive, not 0",
        ),
        (
            "unit a = -2 [W]\n",
            "unit 'a': a unit's factor must be positive, not -2",
        ),
        (
            "x = 3\nunit a = x * 2 [W]\n",
            "unit 'a': a unit's factor is a constant, not a formula (it reads 'x')",
        ),
        (
            "unit a = 12\n",
            "unit 'a': a unit's factor needs a unit in brackets",
        ),
        (
            "unit a = 2 [b]\nunit b = 3 [a]\n",
            "units declared in a circle: a -> b -> a",
        ),
        ("unit a = 2 [a]\n", "units declared in a circle: a -> a"),
        (
            "scenario s {\n  unit a\n}\n",
            "unit 'a' is declared inside a scenario",
        ),
    ];
    for (src, want) in table {
        let got = load_error(src);
        assert!(got.starts_with(want), "{src}: {got}");
    }
}

#[test]
fn bad_input_gives_a_value_or_a_clear_error() {
    // a unit with the name of a cell: units live in brackets
    assert_eq!(value_of_x("unit x\nx = 2 [x] * 3\n"), "6 x");
    // a declaration after its use: order is free
    assert_eq!(
        value_of_x("x = 2 [dozen] as [egg]\nunit dozen = 12 [egg]\n"),
        "24 egg"
    );
    // unit names that are not names, powers that are not whole numbers
    assert!(load_error("x = 1 [5x]\n").starts_with("'5x' is not a unit name"));
    assert!(
        load_error("x = 1 [kWh^0.5]\n").starts_with("a unit's power is a whole number, not '0.5'")
    );
    assert!(load_error("x = 1 [kWh^x]\n").starts_with("a unit's power is a whole number, not 'x'"));
    // conversions beyond 28 digits
    assert_eq!(
        value_of_x("x = 79000000000000000000000000000 [GWh] as [Wh]\n"),
        "error: value out of range (premise's decimals hold up to about ±7.9e28)"
    );
    // a chain of a thousand declarations, declared last to first
    let mut src = String::from("x = 3 [u1000] as [u0]\nunit u0\n");
    for i in (1..=1000).rev() {
        src.push_str(&format!("unit u{i} = 1 [u{}]\n", i - 1));
    }
    assert_eq!(value_of_x(&src), "3 u0");
    // a chain whose factor leaves the decimals: the value says so
    let mut src = String::from("x = 1 [t40] as [t0]\nunit t0\n");
    for i in 1..=40 {
        src.push_str(&format!("unit t{i} = 10 [t{}]\n", i - 1));
    }
    assert_eq!(
        value_of_x(&src),
        "error: value out of range (premise's decimals hold up to about ±7.9e28)"
    );
}

mod commands {
    //! Every command with units that convert (issue 15, item 6).
    use crate::common::{repl_piped, stderr, stdout, BIN};
    use std::process::Command;

    const DC: &str = "models/dc_power.model";

    fn run(args: &[&str]) -> std::process::Output {
        Command::new(BIN)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    fn temp(text: &str) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.model");
        std::fs::write(&path, text).unwrap();
        let p = path.to_string_lossy().into_owned();
        (dir, p)
    }

    #[test]
    fn exact_json_and_csv_give_the_amount_in_the_unit_shown() {
        let (_d, m) = temp("power = 100 [MW]\nenergy = power * 8 [h] as [GWh]\n");
        assert_eq!(stdout(&run(&["get", &m, "energy", "--exact"])), "0.8\n");
        assert_eq!(stdout(&run(&["get", &m, "energy"])), "0.8 GWh\n");
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&run(&["eval", &m, "--format", "json"]))).unwrap();
        let energy = &json["cells"][1];
        assert_eq!(energy["value"], "0.8");
        assert_eq!(energy["unit"], "GWh");
        assert_eq!(energy["display"], "0.8 GWh");
        assert_eq!(energy["formula"], "power * 8 [h] as [GWh]");
        let csv = stdout(&run(&["eval", &m, "energy", "--format", "csv"]));
        assert!(
            csv.contains("energy,0.8,GWh,0.8 GWh,power * 8 [h] as [GWh],"),
            "{csv}"
        );
    }

    #[test]
    fn the_models_compute_without_hand_made_factors() {
        let get = |cell: &str| stdout(&run(&["get", DC, cell, "--exact"]));
        assert_eq!(get("racks"), "1960\n");
        assert_eq!(get("it_load"), "79.968\n");
        assert_eq!(get("headroom"), "32\n");
        assert_eq!(get("annual_energy"), "656.7372\n");
        assert_eq!(get("energy_cost"), "52538976\n");
        let text = std::fs::read_to_string(DC).unwrap();
        assert!(!text.contains("kw_per_mw") && !text.contains("8_760"));
        let cloud = "models/gpu_cloud.model";
        let get = |cell: &str| stdout(&run(&["get", cloud, cell, "--exact"]));
        assert_eq!(get("gpu_hours_sold"), "6132000\n");
        assert_eq!(get("energy"), "7971.6\n");
        assert_eq!(get("power_cost"), "637728\n");
        assert_eq!(get("breakeven_price"), "1.57\n");
        let text = std::fs::read_to_string(cloud).unwrap();
        assert!(!text.contains("hours_per_year"));
        for m in [DC, cloud] {
            let out = run(&["check", m]);
            assert!(out.status.success(), "{m}: {}", stderr(&out));
        }
    }

    #[test]
    fn explain_shows_the_conversions_where_they_happen() {
        let out = stdout(&run(&["explain", DC, "it_load"]));
        assert!(
            out.starts_with(
                "## Nameplate IT power of the racks installed\n\
                 it_load = racks * rack_power as [MW] = "
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "racks = floor(it_capacity / rack_power) = floor(80 MW / 40.8 kW/rack) = "
            ),
            "{out}"
        );
    }

    #[test]
    fn what_if_takes_values_in_any_unit_of_the_dimension() {
        let solved = |target: &str| {
            stdout(&run(&[
                "solve",
                DC,
                "--target",
                target,
                "--vary",
                "electricity_price",
                "--exact",
            ]))
        };
        let in_dollars = solved("cost_per_gpu_hour=0.15 [USD/GPU/h]");
        assert!(
            in_dollars.starts_with("electricity_price = "),
            "{in_dollars}"
        );
        assert_eq!(solved("cost_per_gpu_hour=15 [USD/GPU/h] / 100"), in_dollars);
        let out = run(&[
            "solve",
            DC,
            "--target",
            "annual_energy=70 [MW]",
            "--vary",
            "pue",
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            stderr(&out),
            "error: '70 [MW]' is in MW (power) but 'annual_energy' is in GWh (energy)\n"
        );
        let sweep = stdout(&run(&[
            "sweep",
            DC,
            "--vary",
            "site_power=50 [MW]..100000 [kW]:25000 [kW]",
            "--show",
            "energy_cost",
            "--exact",
        ]));
        let rows: Vec<&str> = sweep.lines().skip(1).collect();
        assert_eq!(rows.len(), 3, "{sweep}");
    }

    #[test]
    fn diff_tells_a_literal_in_another_unit_from_a_value_that_moved() {
        let (_a, old) = temp("e = 0.5 [MWh]\np = $80 [/MWh]\nc = e * p\n");
        let (_b, new) = temp("e = 500 [kWh]\np = $80 [/MWh]\nc = e * p\n");
        let out = stdout(&run(&["diff", &old, &new]));
        assert!(
            out.contains("changed inputs\n  e  0.5 MWh → 500 kWh  (the same value)\n"),
            "{out}"
        );
        assert!(!out.contains("changed values"), "{out}");
        assert!(out.ends_with("2 cells unchanged\n"), "{out}");
    }

    #[test]
    fn fmt_keeps_units_as_written() {
        let text = "unit  MMBtu=1055.05585262 [MJ]\nx = 2[kW / rack /h]*3 as [ W/rack/min ]\n";
        let (_d, m) = temp(text);
        let status = run(&["fmt", &m]);
        assert!(status.status.success(), "{}", stderr(&status));
        assert_eq!(
            std::fs::read_to_string(&m).unwrap(),
            "unit MMBtu = 1055.05585262 [MJ]\nx = 2 [kW/rack/h] * 3 as [W/rack/min]\n"
        );
    }

    #[test]
    fn check_warns_about_a_unit_name_close_to_a_known_one() {
        let (_d, m) = temp("a = 3 [kwh]\nb = a * 2 [Mw]\nc = b + 1 [GPU]\n");
        let out = run(&["check", &m]);
        let err = stderr(&out);
        assert!(
            err.contains(
                "warning: unit 'kwh' is neither built in nor declared: did you mean 'kWh'?"
            ),
            "{err}"
        );
        assert!(err.contains("did you mean 'MW'?"), "{err}");
        assert!(!err.contains("'GPU'"), "{err}");
        // declaring the name says it is meant
        let (_d, m) = temp("unit kwh\na = 3 [kwh]\n");
        assert!(!stderr(&run(&["check", &m])).contains("did you mean"));
    }

    #[test]
    fn the_repl_names_the_dimension_and_converts_a_query() {
        let (out, err, code) = repl_piped(
            &[DC],
            ":show annual_energy\nannual_energy as [TWh]\n2 [MW] / 500 [kW]\n1 [h] as [kWh]\n",
        );
        assert!(out.contains("  unit     GWh (energy)\n"), "{out}");
        assert!(out.contains("0.656737 TWh\n4\n"), "{out}");
        assert_eq!(err, "error: cannot convert h (time) to kWh (energy)\n");
        assert_eq!(code, 1);
    }
}

mod with_ranges {
    //! Units × uncertainty: a unit on the last end applies to both, ends in
    //! two units are refused, and a simulation shows the cell's own unit.
    use crate::common::{stdout, BIN};
    use std::process::Command;

    const MODEL: &str = "\
power = 700 to 900 [W]
energy = power * 10 [h] as [kWh]
cost = energy * $0.08 [/kWh]
over = prob(energy > 7500 [Wh])
mixed = 700 [W] to 0.9 [kW]
";

    #[test]
    fn point_values_convert_and_ends_need_one_unit() {
        assert_eq!(
            super::value_of_x("x = 400 to 900 [W] as [kW]\n"),
            "0.6 kW",
            "the median of 400 to 900 W is 600 W"
        );
        let b = super::book(MODEL);
        let mixed = b.value_of("mixed").unwrap().as_ref().unwrap_err();
        assert!(
            mixed
                .message
                .starts_with("the ends of a range need one unit, not [W] and [kW]"),
            "{}",
            mixed.message
        );
        let over = b.value_of("over").unwrap().as_ref().unwrap();
        assert!(matches!(over, premise::value::Value::Number { .. }));
    }

    #[test]
    fn simulated_percentiles_are_in_the_unit_the_cell_shows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.model");
        std::fs::write(&path, MODEL).unwrap();
        let out = Command::new(BIN)
            .args([
                "simulate",
                path.to_str().unwrap(),
                "energy",
                "--samples",
                "500",
            ])
            .args(["--format", "json"])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let energy = &json["cells"][0];
        assert_eq!(energy["unit"], "kWh");
        let p50: f64 = energy["p50"].as_str().unwrap().parse().unwrap();
        assert!((7.0..9.0).contains(&p50), "{p50} kWh");
    }
}
