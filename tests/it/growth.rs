//! Growth stays linear: every command that reads a whole model (`get`,
//! `eval` as a table and as JSON, `check`, a REPL session and one
//! redefinition) makes at most about ten times the allocations at 100,000
//! cells that it makes at 10,000, on
//! each workload (W1 chain, W2 fan-in, W3 groups, W4 series). A quadratic step would
//! make it a hundred times. Allocations are counted, not timed: the count
//! does not depend on how busy the machine is.
//!
//! The counting allocator below is this test binary's, but other tests
//! allocate at the same time; so the test runs the counting part again as
//! a process of its own (this binary, that one test, one thread).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use premise::workload::{write_workload, Workload};

/// Counts the allocations (and reallocations) of the whole process.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call goes to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on as it is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const CHILD: &str = "PREMISE_GROWTH_CHILD";
const SMALL: usize = 10_000;
const LARGE: usize = 100_000;

/// The commands measured, as arguments before and after the file.
fn commands(w: Workload, n: usize) -> Vec<(&'static str, Vec<String>)> {
    let cell = match w {
        Workload::W1 => format!("x{}", n - 1),
        Workload::W2 => "total".to_string(),
        Workload::W3 => format!("g{}_9", n / 10 - 1),
        Workload::W4 => format!("s_{}", n / premise::workload::W4_PERIODS),
        // Not measured here (see `workloads` below): simulate's workload.
        Workload::W5 => format!("c{}", n - n / 10 - 1),
    };
    vec![
        (
            "get",
            vec!["get".into(), "FILE".into(), cell, "--exact".into()],
        ),
        ("eval", vec!["eval".into(), "FILE".into()]),
        (
            "json",
            vec![
                "eval".into(),
                "FILE".into(),
                "--format".into(),
                "json".into(),
            ],
        ),
        ("check", vec!["check".into(), "FILE".into()]),
    ]
}

/// The counting part: prints `GROWTH workload cells command allocations`
/// on stderr for every workload, size and command. Run by
/// [`allocations_grow_linearly`] as a process of its own.
#[test]
#[ignore = "run by allocations_grow_linearly in a process of its own"]
fn count_allocations() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (w, tag) in [
        (Workload::W1, "W1"),
        (Workload::W2, "W2"),
        (Workload::W3, "W3"),
        (Workload::W4, "W4"),
    ] {
        for n in [SMALL, LARGE] {
            let path = dir.path().join(format!("{tag}-{n}.model"));
            let mut text = Vec::new();
            write_workload(&mut text, w, n).unwrap();
            std::fs::write(&path, &text).unwrap();
            let file = path.to_str().unwrap().to_string();
            for (name, args) in commands(w, n) {
                let args =
                    std::iter::once("premise".to_string()).chain(args.into_iter().map(|a| {
                        if a == "FILE" {
                            file.clone()
                        } else {
                            a
                        }
                    }));
                let before = ALLOCATIONS.load(Ordering::Relaxed);
                let code = premise::cli::run(args.map(std::ffi::OsString::from));
                let count = ALLOCATIONS.load(Ordering::Relaxed) - before;
                assert!(code <= 1, "{tag} {n} {name} exited {code}");
                eprintln!("GROWTH {tag} {n} {name} {count}");
            }
            // A REPL session on the file, and one redefinition in it.
            let model = premise::load_file(&file).unwrap();
            let before = ALLOCATIONS.load(Ordering::Relaxed);
            let mut session = premise::repl::session::Session::loaded(model, Some(file.clone()));
            let first = session.model().cells_in_order()[0];
            let mut name = session.model().name(first).unwrap().to_string();
            if w == Workload::W4 {
                // A series: its first period's pin.
                name.push_str("[1]");
            }
            session
                .define(&name, premise::Definition::parse("7").unwrap())
                .unwrap();
            let count = ALLOCATIONS.load(Ordering::Relaxed) - before;
            eprintln!("GROWTH {tag} {n} repl {count}");
            std::mem::forget(session);
        }
    }
}

#[test]
fn allocations_grow_linearly() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "growth::count_allocations",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .stdout(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let counts: std::collections::HashMap<(String, usize, String), u64> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("GROWTH "))
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (
                (f[0].to_string(), f[1].parse().unwrap(), f[2].to_string()),
                f[3].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(counts.len(), 4 * 2 * 5, "{stderr}");
    for w in ["W1", "W2", "W3", "W4"] {
        for c in ["get", "eval", "json", "check", "repl"] {
            let small = counts[&(w.to_string(), SMALL, c.to_string())];
            let large = counts[&(w.to_string(), LARGE, c.to_string())];
            // Ten times the cells: about ten times the allocations (a
            // little more where tables double as they grow), never a
            // hundred.
            assert!(
                large <= small * 13,
                "{w} {c}: {small} allocations at {SMALL} cells, {large} at {LARGE}"
            );
            // A redefinition in W2 and W3 moves a few cells whatever the
            // size; everything else reads every cell.
            assert!(
                c == "repl" || large >= small * 5,
                "{w} {c}: {small} allocations at {SMALL} cells, only {large} at {LARGE}: is it counting?"
            );
        }
    }
}
