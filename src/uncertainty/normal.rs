//! The standard normal distribution's quantile function, which turns a
//! uniform draw into a normal one (inverse-CDF sampling: one draw per
//! sample, so each input's stream stays aligned with the sample index).

/// The 95th percentile of the standard normal distribution, Φ⁻¹(0.95): a
/// range `a to b` puts its ends this many standard deviations from the
/// centre (of the value, or of its logarithm).
#[allow(clippy::excessive_precision)]
pub const Z95: f64 = 1.644_853_626_951_472_7;

/// Φ⁻¹(p), the value a standard normal quantity stays below with
/// probability `p`, for 0 < p < 1 (NaN outside).
///
/// Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988):
/// rational approximations in three regions, relative error about 1e-16.
pub fn quantile(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q * poly(&CENTRAL_NUM, r) / poly(&CENTRAL_DEN, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let z = if r <= 5.0 {
        let r = r - 1.6;
        poly(&NEAR_NUM, r) / poly(&NEAR_DEN, r)
    } else {
        let r = r - 5.0;
        poly(&FAR_NUM, r) / poly(&FAR_DEN, r)
    };
    if q < 0.0 {
        -z
    } else {
        z
    }
}

/// c₀ + c₁x + … + c₇x⁷ by Horner's rule.
fn poly(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

// AS 241's coefficients, as published (more digits than an f64 holds: the
// compiler rounds them, and the published text stays checkable).
#[allow(clippy::excessive_precision)]
const CENTRAL_NUM: [f64; 8] = [
    3.387_132_872_796_366_608,
    133.141_667_891_784_377_45,
    1_971.590_950_306_551_442_7,
    13_731.693_765_509_461_125,
    45_921.953_931_549_871_457,
    67_265.770_927_008_700_853,
    33_430.575_583_588_128_105,
    2_509.080_928_730_122_672_7,
];
#[allow(clippy::excessive_precision)]
const CENTRAL_DEN: [f64; 8] = [
    1.0,
    42.313_330_701_600_911_252,
    687.187_007_492_057_908_3,
    5_394.196_021_424_751_107_7,
    21_213.794_301_586_595_867,
    39_307.895_800_092_710_61,
    28_729.085_735_721_942_674,
    5_226.495_278_852_854_561,
];
#[allow(clippy::excessive_precision)]
const NEAR_NUM: [f64; 8] = [
    1.423_437_110_749_683_577_34,
    4.630_337_846_156_545_295_9,
    5.769_497_221_460_691_405_5,
    3.647_848_324_763_204_605_04,
    1.270_458_252_452_368_382_58,
    0.241_780_725_177_450_611_77,
    0.022_723_844_989_269_184_583_3,
    7.745_450_142_783_414_076_4e-4,
];
#[allow(clippy::excessive_precision)]
const NEAR_DEN: [f64; 8] = [
    1.0,
    2.053_191_626_637_758_821_87,
    1.676_384_830_183_803_849_4,
    0.689_767_334_985_100_004_55,
    0.148_103_976_427_480_074_59,
    0.015_198_666_563_616_457_196_6,
    5.475_938_084_995_344_946e-4,
    1.050_750_071_644_416_843_24e-9,
];
#[allow(clippy::excessive_precision)]
const FAR_NUM: [f64; 8] = [
    6.657_904_643_501_103_777_2,
    5.463_784_911_164_114_369_9,
    1.784_826_539_917_291_335_8,
    0.296_560_571_828_504_891_23,
    0.026_532_189_526_576_123_093,
    0.001_242_660_947_388_078_438_6,
    2.711_555_568_743_487_578_15e-5,
    2.010_334_399_292_288_132_65e-7,
];
#[allow(clippy::excessive_precision)]
const FAR_DEN: [f64; 8] = [
    1.0,
    0.599_832_206_555_887_937_69,
    0.136_929_880_922_735_805_31,
    0.014_875_361_290_850_614_852_5,
    7.868_691_311_456_132_591e-4,
    1.846_318_317_510_054_681_8e-5,
    1.421_511_758_316_445_888_7e-7,
    2.044_263_103_389_939_785_64e-15,
];
