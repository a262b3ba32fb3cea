//! Each input's own stream of random numbers.
//!
//! A stream is keyed by the seed, the cell's name, which distribution of its
//! formula it is (the first, second, ... in reading order) and the period (in
//! a series): adding an unrelated cell, or reordering the file, changes no
//! other input's draws. Its `i`-th number is the draw of sample `i`, whichever
//! thread computes that sample and whatever was drawn before, so results do
//! not depend on the number of threads.
//!
//! The generator is PCG-XSL-RR 128/64 (O'Neill's "PCG64", from `rand_pcg`):
//! its output for a given state and increment is fixed by the algorithm, and
//! it can jump ahead to any sample in O(log n) steps.

use rand_core::RngCore;
use rand_pcg::Pcg64;

/// One input's random numbers, one per sample.
#[derive(Clone, Debug)]
pub struct Stream {
    generator: Pcg64,
    /// The sample whose number the generator gives next.
    next: u64,
}

/// The identity of a stream: what it is derived from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    /// [`name_hash`] of the cell's name (or of the formula, for a formula
    /// that is not a cell).
    pub name: u64,
    /// Which distribution of the formula, in reading order from 0.
    pub nth: u32,
    /// The period's label, in a series (`None` for a cell of one value).
    pub period: Option<i64>,
}

/// A name's hash for [`Key`]: 64-bit FNV-1a over its UTF-8 bytes, fixed by
/// definition (unlike the standard library's hashers, which may change).
pub fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// SplitMix64's finaliser: spreads every input bit over the output.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Stream {
    /// The stream of `key` under `seed`, positioned at sample 0.
    pub fn new(seed: u64, key: Key) -> Stream {
        let period = key.period.map_or(0x5bd1_e995_u64, |p| p as u64);
        let a = mix(seed ^ mix(key.name ^ mix(u64::from(key.nth) ^ mix(period))));
        let b = mix(a ^ 0x9e37_79b9_7f4a_7c15);
        let c = mix(b ^ 0x632b_e59b_d9b4_e019);
        let d = mix(c ^ 0x8cb9_2ba7_2f3d_8dd7);
        let state = (u128::from(a) << 64) | u128::from(b);
        let increment = (u128::from(c) << 64) | u128::from(d);
        Stream {
            generator: Pcg64::new(state, increment),
            next: 0,
        }
    }

    /// The uniform number of sample `sample`, strictly between 0 and 1
    /// (53 random bits, centred in their interval).
    pub fn uniform(&mut self, sample: u64) -> f64 {
        if sample != self.next {
            // Wrapping: an LCG's period is 2^128, so going back is going round.
            let delta = u128::from(sample.wrapping_sub(self.next));
            let delta = if sample < self.next {
                delta.wrapping_sub(1 << 64)
            } else {
                delta
            };
            self.generator.advance(delta);
        }
        self.next = sample.wrapping_add(1);
        let bits = self.generator.next_u64() >> 11;
        (bits as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }
}
