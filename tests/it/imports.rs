//! Models that build on models: `import "PATH" as NAME`, through every
//! command, and the files it refuses (docs/language.md#several-files).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::process::Output;

use crate::common::{self, stderr, stdout, Repo, BIN};

/// A site model and a build-out model that imports it twice.
const SITE: &str = "\
## Power per rack
rack_kw = 40
racks = 1000
it_load = rack_kw * racks
pue = 1.3
power = it_load * pue
";

const BUILD: &str = "\
import \"site.model\" as site
import \"site.model\" as big {
  racks = 5000
}
price = 2
cost = site.power * price
big_cost = big.power * price

scenario hot {
  site.pue = 1.6
}
";

/// A folder holding `files`, each (name, text); names may hold folders.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `premise ARGS` run in `dir`.
fn premise_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(BIN)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn imported_cells_are_read_by_their_qualified_names() {
    let dir = folder(&[("site.model", SITE), ("build.model", BUILD)]);
    let out = premise_in(dir.path(), &["eval", "build.model"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // eval lists the importing file's cells only.
    let text = stdout(&out);
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(names, ["price", "cost", "big_cost"]);
    let get = |cell: &str, extra: &[&str]| {
        let mut args = vec!["get", "build.model", cell];
        args.extend_from_slice(extra);
        let out = premise_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{cell}: {}", stderr(&out));
        stdout(&out).trim().to_string()
    };
    assert_eq!(get("site.power", &[]), "52000");
    assert_eq!(get("cost", &[]), "104000");
    // Two imports of one file are two copies; the block overrides one.
    assert_eq!(get("big.racks", &[]), "5000");
    assert_eq!(get("big_cost", &[]), "520000");
    assert_eq!(get("site.racks", &[]), "1000");
    // A scenario of the importing file overrides an imported cell.
    assert_eq!(get("site.power", &["--scenario", "hot"]), "64000");
    assert_eq!(get("big.power", &["--scenario", "hot"]), "260000");
    assert_eq!(get("cost", &["--set", "site.pue=1.5"]), "120000");
}

#[test]
fn explain_crosses_into_imported_files_naming_them() {
    let dir = folder(&[("site.model", SITE), ("build.model", BUILD)]);
    let out = premise_in(dir.path(), &["explain", "build.model", "big_cost"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "\
big_cost = big.power * price = 260000 * 2 = 520000
├─ big.power = big.it_load * big.pue = 200000 * 1.3 = 260000  (site.model:6)
│  ├─ big.it_load = big.rack_kw * big.racks = 40 * 5000 = 200000  (site.model:4)
│  │  ├─ big.rack_kw = 40  (input, site.model:2)
│  │  └─ big.racks = 5000  (input, line 3)
│  └─ big.pue = 1.3  (input, site.model:5)
└─ price = 2  (input, line 5)
"
    );
}

#[test]
fn the_other_commands_reach_imported_cells() {
    let dir = folder(&[("site.model", SITE), ("build.model", BUILD)]);
    let out = premise_in(
        dir.path(),
        &[
            "solve",
            "build.model",
            "--target",
            "cost=110000",
            "--vary",
            "site.pue",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("site.pue = 1.375"),
        "{}",
        stdout(&out)
    );
    let out = premise_in(dir.path(), &["graph", "build.model", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let graph: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = graph.to_string();
    assert!(text.contains("\"site.power\"") && text.contains("\"big.racks\""));
    let out = premise_in(dir.path(), &["check", "build.model"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "build.model: 3 cells, 10 imported, 1 scenario: ok\n"
    );
}

#[test]
fn paths_are_relative_to_the_importing_file() {
    let dir = folder(&[
        ("shared/site.model", SITE),
        (
            "models/plan/build.model",
            "import \"../../shared/site.model\" as site\ncost = site.power * 2\n",
        ),
        (
            "models/top.model",
            "import \"plan/build.model\" as plan\ntotal = plan.cost + plan.site.pue\n",
        ),
    ]);
    let out = premise_in(dir.path(), &["get", "models/top.model", "total"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "104001.3\n");
    // An absolute path works too.
    let absolute = dir.path().join("shared/site.model");
    let text = format!("import \"{}\" as site\nx = site.pue\n", absolute.display());
    std::fs::write(dir.path().join("abs.model"), text).unwrap();
    let out = premise_in(dir.path(), &["get", "abs.model", "x"]);
    assert_eq!(stdout(&out), "1.3\n", "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_the_file_it_points_to() {
    let dir = folder(&[
        ("real/site.model", SITE),
        (
            "a.model",
            "import \"real/site.model\" as one\nimport \"link.model\" as two\nx = one.pue + two.pue\n",
        ),
    ]);
    std::os::unix::fs::symlink(
        dir.path().join("real/site.model"),
        dir.path().join("link.model"),
    )
    .unwrap();
    let out = premise_in(dir.path(), &["get", "a.model", "x"]);
    assert_eq!(stdout(&out), "2.6\n", "{}", stderr(&out));
    // A link back to the importing file is a cycle like any other.
    std::os::unix::fs::symlink(dir.path().join("a.model"), dir.path().join("me.model")).unwrap();
    std::fs::write(
        dir.path().join("a.model"),
        "import \"me.model\" as me\nx = 1\n",
    )
    .unwrap();
    let out = premise_in(dir.path(), &["eval", "a.model"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("import cycle: a.model -> a.model"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_cycle_is_refused_naming_the_chain_of_files() {
    let dir = folder(&[
        ("a.model", "import \"b.model\" as b\nx = b.y\n"),
        ("b.model", "import \"c.model\" as c\ny = c.z\n"),
        ("c.model", "import \"a.model\" as a\nz = 1\n"),
    ]);
    let out = premise_in(dir.path(), &["eval", "a.model"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.contains("error: import cycle: a.model -> b.model -> c.model -> a.model"),
        "{err}"
    );
    // Placed at the import that closes it, in its file.
    assert!(err.contains("┌─ c.model:1:8"), "{err}");
}

#[test]
fn a_diamond_and_a_long_chain_of_imports_work() {
    let dir = folder(&[
        ("d.model", "x = 10\n"),
        ("b.model", "import \"d.model\" as d\ny = d.x * 2\n"),
        (
            "c.model",
            "import \"d.model\" as d { x = 20 }\ny = d.x * 3\n",
        ),
        (
            "a.model",
            "import \"b.model\" as b\nimport \"c.model\" as c\ntotal = b.y + c.y\n",
        ),
    ]);
    let out = premise_in(dir.path(), &["get", "a.model", "total"]);
    assert_eq!(stdout(&out), "80\n", "{}", stderr(&out));
    // 1,000 files, each importing the next: no recursion grows with it.
    let chain = tempfile::tempdir().unwrap();
    for i in 1..=1000 {
        let text = if i < 1000 {
            format!("import \"f{}.model\" as next\nv = next.v + 1\n", i + 1)
        } else {
            "v = 1\n".to_string()
        };
        std::fs::write(chain.path().join(format!("f{i}.model")), text).unwrap();
    }
    let out = premise_in(chain.path(), &["get", "f1.model", "v"]);
    assert_eq!(stdout(&out), "1000\n", "{}", stderr(&out));
}

#[test]
fn bad_imports_are_refused_with_words() {
    let dir = folder(&[
        ("site.model", SITE),
        ("broken.model", "x = 1\ny = (x +\n"),
        ("dir/keep.txt", ""),
    ]);
    std::fs::write(dir.path().join("latin.model"), b"x = 1\ny = caf\xe9\n").unwrap();
    let cases: [(&str, &str); 9] = [
        (
            "import \"nope.model\" as a\n",
            "error: cannot import 'nope.model': no such file",
        ),
        (
            "import \"dir\" as d\n",
            "error: cannot import 'dir': it is a directory, not a model file",
        ),
        (
            "import \"latin.model\" as l\n",
            "error: cannot import 'latin.model': latin.model:2:8: the file is not valid UTF-8 text (save it as UTF-8)",
        ),
        (
            "import \"site.model\" as site { pu = 2 }\n",
            "error: 'pu' is not a cell of the file imported as 'site'",
        ),
        (
            "site = 1\nimport \"site.model\" as site\n",
            "error: the import 'site' clashes with the cell 'site' (line 1)",
        ),
        (
            "site.extra = 1\nimport \"site.model\" as site\n",
            "error: the import 'site' clashes with the group 'site.*' of this file ('site.extra', line 1)",
        ),
        (
            "import \"site.model\" as s\nimport \"site.model\" as s\n",
            "error: 's' names two imports",
        ),
        (
            "import \"site.model\" as s {\n  pue = 1\n  pue = 2\n}\n",
            "error: the import 's' overrides 'pue' twice",
        ),
        (
            "import \"site.model\" as s {\n  pue = 1\nx = 2\n",
            "error: import 's' is never closed",
        ),
    ];
    for (text, message) in cases {
        std::fs::write(dir.path().join("m.model"), text).unwrap();
        let out = premise_in(dir.path(), &["eval", "m.model"]);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert_eq!(stdout(&out), "", "{text}");
        assert!(stderr(&out).contains(message), "{text}: {}", stderr(&out));
    }
    // The did-you-mean of an unknown override is the imported file's.
    std::fs::write(
        dir.path().join("m.model"),
        "import \"site.model\" as site { pu = 2 }\n",
    )
    .unwrap();
    let out = premise_in(dir.path(), &["eval", "m.model"]);
    assert!(
        stderr(&out).contains("help: did you mean 'pue'?"),
        "{}",
        stderr(&out)
    );
    // An imported file's own errors name that file and line.
    std::fs::write(dir.path().join("m.model"), "import \"broken.model\" as b\n").unwrap();
    let out = premise_in(dir.path(), &["eval", "m.model"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("┌─ broken.model:2:5"), "{err}");
    assert!(
        err.contains("error: m.model has 1 error; nothing was evaluated"),
        "{err}"
    );
}

#[test]
fn syntax_errors_in_import_lines_are_in_words() {
    let dir = folder(&[("site.model", SITE)]);
    let cases = [
        (
            "import site.model as site\n",
            "expected a path in double quotes",
        ),
        ("import \"site.model\" site\n", "expected 'as NAME'"),
        (
            "import \"site.model\" as\n",
            "expected a name for the import",
        ),
        (
            "import \"site.model as site\n",
            "this string is never closed",
        ),
        (
            "import \"site.model\" as site.x\n",
            "expected the end of the statement or '{', found '.x'",
        ),
        (
            "import \"site.model\" as if\n",
            "'if' is a keyword, not a name",
        ),
        ("import = 2\n", "'import' is a keyword, not a name"),
    ];
    for (text, message) in cases {
        std::fs::write(dir.path().join("m.model"), text).unwrap();
        let out = premise_in(dir.path(), &["check", "m.model"]);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(stderr(&out).contains(message), "{text}: {}", stderr(&out));
    }
}

#[test]
fn fmt_lays_out_imports_and_leaves_imported_files_alone() {
    let site = "pue=1.3\n";
    let dir = folder(&[
        ("site.model", site),
        (
            "m.model",
            "import   \"site.model\"   as site {\npue=1.4   # hot\n}\nassert site.pue>1,\"above one\"\n",
        ),
    ]);
    let out = premise_in(dir.path(), &["fmt", "m.model"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("m.model")).unwrap(),
        "import \"site.model\" as site {\n  pue = 1.4  # hot\n}\nassert site.pue > 1, \"above one\"\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.model")).unwrap(),
        site
    );
    let out = premise_in(dir.path(), &["fmt", "--check", "m.model"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn the_repl_redefines_inside_an_import_and_saves_only_the_importing_file() {
    let dir = folder(&[("site.model", SITE), ("build.model", BUILD)]);
    let build = dir.path().join("build.model");
    let build = build.to_str().unwrap();
    let (out, err, code) = common::repl_piped(
        &[build],
        "site.pue = 1.5\nprice = 3\nsite.nothing = 1\n:save\ncost\n",
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("site.pue  1.3 → 1.5\nsite.power  52000 → 60000\ncost  104000 → 120000\n"),
        "{out}"
    );
    assert!(
        err.contains("error: no cell named 'site.nothing' in "),
        "{err}"
    );
    assert!(
        out.contains("saved ")
            && out.contains(": 1 cell changed; not saved, as :save writes only "),
        "{out}"
    );
    assert!(out.contains("site.pue (in "), "{out}");
    assert!(out.ends_with("180000\n"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.model")).unwrap(),
        SITE
    );
    let saved = std::fs::read_to_string(dir.path().join("build.model")).unwrap();
    assert_eq!(saved, BUILD.replace("price = 2", "price = 3"));
}

#[test]
fn save_rewrites_an_override_in_an_import_block() {
    let dir = folder(&[("site.model", SITE), ("build.model", BUILD)]);
    let build = dir.path().join("build.model");
    let (_, err, code) =
        common::repl_piped(&[build.to_str().unwrap()], "big.racks = 6000\n:save\n");
    assert_eq!(code, 0, "{err}");
    let saved = std::fs::read_to_string(&build).unwrap();
    assert_eq!(saved, BUILD.replace("racks = 5000", "racks = 6000"));
}

#[test]
fn reload_reads_the_imported_files_again() {
    let dir = folder(&[("site.model", SITE), ("build.model", BUILD)]);
    let build = dir.path().join("build.model");
    let site = dir.path().join("site.model");
    let mut child = std::process::Command::new(BIN)
        .arg("repl")
        .arg(&build)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"cost\n").unwrap();
    stdin.flush().unwrap();
    // The REPL answers lines in order: the edit lands before :reload is read.
    std::fs::write(&site, SITE.replace("pue = 1.3", "pue = 1.5")).unwrap();
    stdin.write_all(b":reload\ncost\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("104000\n") || text.starts_with("120000\n"),
        "{text}"
    );
    assert!(text.ends_with("120000\n"), "{text}");
}

#[test]
fn diff_between_revisions_reads_imports_from_each_revision() {
    let repo = Repo::new();
    std::fs::create_dir_all(repo.file("models")).unwrap();
    repo.write("models/site.model", SITE);
    repo.write("models/build.model", BUILD);
    repo.commit("site and build-out");
    repo.write("models/site.model", &SITE.replace("pue = 1.3", "pue = 1.2"));
    repo.write(
        "models/build.model",
        &BUILD.replace("price = 2", "price = 3"),
    );
    repo.commit("a cooler site, a dearer price");
    // The working tree moves on: it must not be what HEAD~1 or HEAD read.
    repo.write("models/site.model", &SITE.replace("pue = 1.3", "pue = 9"));
    let out = repo.premise(&[
        "diff",
        "HEAD~1:models/build.model",
        "HEAD:models/build.model",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "changed inputs\n  price     2 → 3\n  site.pue  1.3 → 1.2\n  big.pue   1.3 → 1.2\n"
        ),
        "{text}"
    );
    assert!(text.contains("  site.power  52000  → 48000 "), "{text}");
    assert!(text.contains("  cost        104000 → 144000 "), "{text}");
    // git's diff driver, through git log -p: each commit against its parent.
    repo.premise(&["git", "setup"]);
    repo.commit("set up");
    let log = repo.git_ok(&[
        "log",
        "-p",
        "--ext-diff",
        "-1",
        "HEAD~1",
        "--",
        "models/build.model",
    ]);
    assert!(log.contains("  site.pue  1.3 → 1.2"), "{log}");
    assert!(log.contains("  cost        104000 → 144000 "), "{log}");
}

/// Units of imported files: values carry them across, a unit declared alike
/// in two files is one unit, a declaration may build on another file's, and
/// one declared differently is refused naming both files.
#[test]
fn imported_files_share_the_models_units() {
    let site = "\
unit rack
unit MMBtu = 1055.05585262 [MJ]
racks = 200 [rack]
rack_power = 40 [kW/rack]
power = racks * rack_power as [MW]
gas = 10 [MMBtu]
";
    let main = "\
import \"site.model\" as site
unit rack
unit therm = 0.1 [MMBtu]
energy = site.power * 8760 [h] as [GWh]
heat = site.gas as [therm]
spare = site.racks - 50 [rack]
";
    let dir = folder(&[("site.model", site), ("main.model", main)]);
    let out = premise_in(dir.path(), &["eval", "main.model"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "energy  70.08 GWh",
        "heat    100 therm",
        "spare    150 rack",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }

    let clash = "\
import \"site.model\" as site
unit rack = 2 [GPU]
x = site.racks
";
    std::fs::write(dir.path().join("clash.model"), clash).unwrap();
    let out = premise_in(dir.path(), &["check", "clash.model"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("unit 'rack' is a unit of its own here but 2 [GPU] in clash.model:2"),
        "{err}"
    );
    assert!(err.contains("site.model:1:6"), "{err}");
}

// ------------------------------------------------------------ imports × series

/// `premise ARGS` run in the repository's docs/examples folder.
fn in_examples(args: &[&str]) -> Output {
    premise_in(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples"),
        args,
    )
}

/// One value by `get --exact`, which must succeed.
fn exact(args: &[&str]) -> String {
    let mut all = vec!["get", "fleet.model"];
    all.extend_from_slice(args);
    all.push("--exact");
    let out = in_examples(&all);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stdout(&out).trim().to_string()
}

/// docs/examples/fleet.model imports capex.model twice (one copy with its
/// first period overridden) and reads its series whole, by period, by span
/// and element by element.
#[test]
fn an_imported_series_is_read_by_period_everywhere_a_name_goes() {
    // capex grows 30% a year from $50B; the `big` copy from $80B.
    assert_eq!(exact(&["site.capex[2026]"]), "84500000000");
    assert_eq!(exact(&["capex_2026"]), "84500000000");
    assert_eq!(exact(&["big.capex[2025]"]), "104000000000");
    assert_eq!(exact(&["gpu_spend[2025]"]), "26000000000");
    assert_eq!(exact(&["capex_rise[2026]"]), "34500000000");
    // 80 + 104 + 135.2 + 175.76 + 228.488 + 297.0344 + 386.14472 ($B)
    assert_eq!(exact(&["big_total"]), "1406627120000");
    // A scenario overrides an imported input and an imported period.
    assert_eq!(
        exact(&["gpu_spend[2026]", "--scenario", "fast"]),
        "42000000000"
    );
    // --set takes a period of an imported series too.
    assert_eq!(
        exact(&["gpu_spend[2027]", "--set", "site.capex[2026]=$100B"]),
        "52000000000"
    );
    // A whole imported series, one line per period.
    let out = in_examples(&["get", "fleet.model", "site.capex"]);
    assert_eq!(
        stdout(&out).lines().take(2).collect::<Vec<_>>(),
        ["2024  $50B", "2025  $65B"]
    );
    // A period outside the axis is a usage error, as for the model's own cells.
    let out = in_examples(&["get", "fleet.model", "site.capex[2031]"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("site.capex[2031] is outside year 2024..2030"),
        "{}",
        stderr(&out)
    );
    // explain crosses into the imported file, period by period.
    let out = in_examples(&["explain", "fleet.model", "gpu_spend[2025]"]);
    assert_eq!(
        stdout(&out),
        "\
gpu_spend[2025] = site.capex * gpu_share = $65B * 40% = $26B
├─ site.capex[2025] = site.capex[year - 1] * (1 + site.growth) = $50B * (1 + 30%) = $65B  (capex.model:4)
│  ├─ site.capex[2024] = $50B  (pin, capex.model:3)
│  └─ site.growth = 30%  (input, capex.model:2)
└─ gpu_share = 40%  (input, line 7)
"
    );
}

/// An assertion over an imported series fails in its first failing
/// period, named with the series' value then.
#[test]
fn an_assertion_over_an_imported_series_names_the_first_failing_period() {
    let out = in_examples(&["check", "fleet.model"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // fast: $50B, $70B (pinned), then 50% a year: $354.375B in 2029.
    assert!(
        err.contains("in scenario 'fast': assertion failed: a site spends under $250B a year"),
        "{err}"
    );
    assert!(
        err.contains("false in 2029 (site.capex[2029] = $354.38B)"),
        "{err}"
    );
    // An assertion of the imported file is checked in its copy, and names its file.
    let dir = folder(&[
        (
            "capex.model",
            &format!(
                "{}assert capex < $150B, \"under the grid's limit\"\n",
                std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/capex.model")
                )
                .unwrap()
            ),
        ),
        ("main.model", "import \"capex.model\" as site\nx = 1\n"),
    ]);
    let out = premise_in(dir.path(), &["check", "main.model"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("capex.model:10:1"), "{err}");
    assert!(
        err.contains("false in 2029 (site.capex[2029] = $185.65B)"),
        "{err}"
    );
}

/// Axes are the model's: the same axis declared in several files is one,
/// an axis declared differently is refused naming both files, and an
/// imported file declares the axes its rules run over.
#[test]
fn imported_axes_merge_when_alike_and_are_refused_when_not() {
    let site =
        "axis year = 2024..2026\ncapex[2024] = 10\ncapex[year] = capex[year - 1] + year - 2000\n";
    let dir = folder(&[
        ("site.model", site),
        ("other.model", "axis year = 2024..2026\nopex[year] = 1\n"),
        (
            "main.model",
            "import \"site.model\" as site\nimport \"other.model\" as other\n\
             total = sum(site.capex[*]) + sum(other.opex[*])\n",
        ),
        (
            "differ.model",
            "import \"site.model\" as site\naxis year = 2024..2030\nx = site.capex\n",
        ),
        ("bare.model", "x[year] = 1\n"),
        (
            "uses_bare.model",
            "axis year = 2024..2026\nimport \"bare.model\" as b\n",
        ),
    ]);
    // Three files, one axis: 10, 10 + 25, 35 + 26 and three periods of 1.
    let out = premise_in(dir.path(), &["get", "main.model", "total", "--exact"]);
    assert_eq!(stdout(&out).trim(), "109", "{}", stderr(&out));
    let out = premise_in(dir.path(), &["check", "differ.model"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("axis 'year' is 2024..2026 here but 2024..2030 in differ.model:2"),
        "{err}"
    );
    assert!(err.contains("site.model:1:6"), "{err}");
    let out = premise_in(dir.path(), &["check", "uses_bare.model"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("'x[year]': 'year' is not an axis this file declares"),
        "{err}"
    );
    assert!(err.contains("bare.model:1:1"), "{err}");
}

/// An import's block overrides a period or the rule of an imported series;
/// what does not fit the series is refused with the import's name.
#[test]
fn an_import_block_overrides_periods_and_rules() {
    let capex = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/capex.model"),
    )
    .unwrap();
    let main = "\
import \"capex.model\" as a { capex[2025] = $70B }
import \"capex.model\" as b {
  capex[year] = b.capex[year - 1] + step
}
step = $1B
";
    let wrong = "\
import \"capex.model\" as c { capex = 5 }
import \"capex.model\" as d { capex[2040] = 5 }
import \"capex.model\" as e { capex[quarter] = 5 }
";
    let dir = folder(&[
        ("capex.model", &capex),
        ("main.model", main),
        ("wrong.model", wrong),
    ]);
    let get = |cell: &str| {
        let out = premise_in(dir.path(), &["get", "main.model", cell, "--exact"]);
        assert_eq!(out.status.code(), Some(0), "{cell}: {}", stderr(&out));
        stdout(&out).trim().to_string()
    };
    assert_eq!(get("a.capex[2026]"), "91000000000");
    assert_eq!(get("b.capex[2030]"), "56000000000");
    // The other copies of the file keep its formulas.
    assert_eq!(get("a.capex[2024]"), "50000000000");
    let out = premise_in(dir.path(), &["check", "wrong.model"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for message in [
        "import 'c': 'capex' is a series",
        "import 'd': capex[2040] is outside year 2024..2030",
        "import 'e': 'capex' runs over 'year', not 'quarter'",
    ] {
        assert!(err.contains(message), "{message:?} in {err}");
    }
}

/// The REPL pins a period of an imported series and resets it.
#[test]
fn the_repl_pins_a_period_of_an_imported_series() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/fleet.model");
    let (out, err, code) = common::repl_piped(
        &[dir.to_str().unwrap()],
        "site.capex[2026] = $100B\ngpu_spend[2026]\n:reset site.capex[2026]\ngpu_spend[2026]\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("site.capex  5 periods moved: 2026: $84.5B → $100B"),
        "{out}"
    );
    // $100B in 2026 makes $285.61B in 2030: the assertion fails then.
    assert!(
        out.contains(
            "a site spends under $250B a year; false in 2030 (site.capex[2030] = $285.61B)"
        ),
        "{out}"
    );
    let values: Vec<&str> = out.lines().filter(|l| l.starts_with('$')).collect();
    assert_eq!(values, ["$40B", "$33.8B"], "{out}");
}

/// A statement that may not stand in an import's block is refused in the
/// import's words, not a scenario's, and so is a `}` with nothing open.
#[test]
fn an_import_block_is_named_as_one_in_its_refusals() {
    let dir = folder(&[
        ("a.model", "x = 1\n"),
        ("m.model", "import \"a.model\" as a {\n  unit rack\n}\n}\n"),
    ]);
    let out = premise_in(dir.path(), &["check", "m.model"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("unit 'rack' is declared inside an import's block"),
        "{err}"
    );
    assert!(
        err.contains("'}' without a scenario or an import to close"),
        "{err}"
    );
    assert!(!err.contains("inside a scenario"), "{err}");
}
