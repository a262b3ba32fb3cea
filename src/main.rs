//! The `premise` command; everything it does lives in the library's `cli` module.

// Million-cell models make millions of small allocations; mimalloc handles
// them (and their release, across the parser's threads) far better than glibc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    premise::cli::no_huge_pages();
    // Formulas are nested at most a few hundred levels (the parser refuses
    // more), but debug builds use large frames: give the work a roomy stack.
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(|| premise::cli::run(std::env::args_os()));
    let code = match worker.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("error: premise stopped unexpectedly; please report this with the model that caused it");
            premise::cli::Exit::Internal as i32
        }
    };
    std::process::exit(code);
}
