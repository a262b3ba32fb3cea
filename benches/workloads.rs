//! The performance workloads of benches/README.md at sizes that run in
//! seconds: parse + order + evaluate (W1 chain, W2 fan-in, W3 groups), and
//! the REPL's incremental redefinition on W3 and W2 (and a whole REPL line on
//! W3), a re-pin of one series of W4 (10,000 series of 100 periods), and a
//! simulation of W5 (1,000 uncertain cells, 1,000 samples, every cell reported).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

// The allocator the `premise` binary uses: what is measured is what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use premise::eval::Workbook;
use premise::model::{Definition, Model};
use premise::workload::{workload_text, Workload};

const N: usize = 50_000;

fn load(text: &str) -> Workbook {
    Workbook::new(Model::parse("bench.model", text.to_string()).unwrap())
}

fn def(src: &str) -> Definition {
    Definition::parse(src).unwrap()
}

fn full(c: &mut Criterion) {
    let mut group = c.benchmark_group("load_and_evaluate");
    group.sample_size(10);
    for (name, w) in [
        ("W1_chain", Workload::W1),
        ("W2_fan_in", Workload::W2),
        ("W3_groups", Workload::W3),
    ] {
        let text = workload_text(w, N);
        group.throughput(Throughput::Elements(N as u64));
        group.bench_function(name, |b| {
            b.iter_batched(|| (), |_| load(&text), BatchSize::PerIteration)
        });
    }
    group.finish();
}

fn incremental(c: &mut Criterion) {
    let mut group = c.benchmark_group("redefine");
    let mut w3 = load(&workload_text(Workload::W3, 200_000));
    let mut k = 0u64;
    group.bench_function("W3_group_of_10", |b| {
        b.iter(|| {
            k += 1;
            w3.redefine("g1_0", def(&k.to_string())).unwrap().len()
        })
    });
    // The same through the REPL: parse the line, redefine, format the 10 values that moved.
    let model = Model::parse("bench.model", workload_text(Workload::W3, 200_000)).unwrap();
    let mut session = premise::repl::Session::new(model, None);
    group.bench_function("REPL_line_W3_group_of_10", |b| {
        b.iter(|| {
            k += 1;
            premise::repl::input::handle(&mut session, &format!("g1_0 = {k}"))
                .lines
                .len()
        })
    });
    // A re-pin: one series' first period moves its 100 periods.
    let mut w4 = load(&workload_text(Workload::W4, 1_000_000));
    group.bench_function("W4_repin_100_periods", |b| {
        b.iter(|| {
            k += 1;
            w4.redefine_slot(
                "s_1",
                premise::model::Slot::Pin(1),
                None,
                def(&k.to_string()),
            )
            .unwrap()
            .len()
        })
    });
    let mut w2 = load(&workload_text(Workload::W2, 200_000));
    group.bench_function("W2_member_of_200k_sum", |b| {
        b.iter(|| {
            k += 1;
            w2.redefine("a.c1", def(&k.to_string())).unwrap().len()
        })
    });
    group.finish();
}

fn simulation(c: &mut Criterion) {
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    let book = load(&workload_text(Workload::W5, 1_000));
    let cells: Vec<premise::model::Address> = book
        .model()
        .cells_in_order()
        .iter()
        .map(|&id| premise::model::Address::cell(id))
        .collect();
    let settings = premise::uncertainty::Settings {
        samples: 1_000,
        seed: 0,
    };
    group.throughput(Throughput::Elements(1_000 * 1_000));
    group.bench_function("W5_1000_cells_1000_samples", |b| {
        b.iter(|| {
            let outcomes = book.simulate(&cells, settings);
            premise::eval::simulate::spreads(&outcomes).len()
        })
    });
    group.finish();
}

criterion_group!(benches, full, incremental, simulation);
criterion_main!(benches);
