//! The `premise` command; everything it does lives in the library's `cli` module.

// Million-cell models make millions of small allocations; mimalloc handles
// them (and their release, across the parser's threads) far better than glibc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    no_huge_pages();
    // Formulas are nested at most a few hundred levels (the parser refuses
    // more), but debug builds use large frames: give the work a roomy stack.
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(|| premise::cli::run(std::env::args_os()));
    let code = match worker.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("error: premise stopped unexpectedly; please report this with the model that caused it");
            3
        }
    };
    std::process::exit(code);
}

/// Transparent huge pages cost more than they save here: a million-cell model
/// touches a few hundred MB once, and when the kernel must compact memory to
/// find 2 MB pages, the faults took 1.7 s of system time against 0.4 s with
/// plain pages (W1, 1M cells, measured on the 2-core project machine).
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes no pointers and only sets a flag of
    // this process; on a kernel without it the call fails and nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}
