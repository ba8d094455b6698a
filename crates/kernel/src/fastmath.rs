//! `exp` and `ln` for the fit's inner loop, on [`F64s`] (four independent `f64` lanes): the same
//! algorithms as fdlibm / musl (`e_exp.c`, `e_log.c`, Sun Microsystems 1993, error < 1 ulp),
//! written without branches, table look-ups or calls, lane by lane, so the compiler turns them into
//! SIMD code (two SSE2 registers natively; plain unrolled code in wasm without simd128, still
//! call-free). `std`'s `exp`/`ln` are calls into libm that block vectorisation and dominated the
//! objective's cost.
//!
//! The domains are what the objective needs (see `point4` in `mod.rs`); the tests check both
//! functions against `std` to within 1 ulp over wide ranges.

// The coefficients are quoted digit for digit as fdlibm publishes them (they round to the same f64).
#![allow(clippy::excessive_precision)]

use std::ops::{Add, Div, Mul, Sub};

/// Four `f64` lanes. Every operation is the scalar IEEE operation per lane (no fused multiply-add,
/// no reassociation), so the results equal scalar code's bit for bit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct F64s(pub [f64; LANES]);

/// Lanes of [`F64s`]: 8 `f64`, four SSE2 registers. The objective is one long dependency chain per
/// point (exp → ln → Huber → division); with 8 independent points in flight the processor overlaps
/// their latencies (measured: 8 lanes beat 4).
pub const LANES: usize = 8;

macro_rules! lanewise {
    ($tr:ident, $f:ident, $op:tt) => {
        impl $tr for F64s {
            type Output = F64s;
            #[inline(always)]
            fn $f(self, o: F64s) -> F64s {
                let (a, b) = (self.0, o.0);
                F64s(std::array::from_fn(|i| a[i] $op b[i]))
            }
        }
        impl $tr<f64> for F64s {
            type Output = F64s;
            #[inline(always)]
            fn $f(self, o: f64) -> F64s {
                self.$f(F64s::splat(o))
            }
        }
        impl $tr<F64s> for f64 {
            type Output = F64s;
            #[inline(always)]
            fn $f(self, o: F64s) -> F64s {
                F64s::splat(self).$f(o)
            }
        }
    };
}
lanewise!(Add, add, +);
lanewise!(Sub, sub, -);
lanewise!(Mul, mul, *);
lanewise!(Div, div, /);

/// A lane mask (the result of a comparison): all ones (true) or all zeros (false) per lane, as
/// SIMD compare instructions produce, so a select is three bitwise operations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mask([u64; LANES]);

impl Mask {
    #[inline(always)]
    fn of(f: impl Fn(usize) -> bool) -> Self {
        Mask(std::array::from_fn(|i| if f(i) { u64::MAX } else { 0 }))
    }
}

impl F64s {
    #[inline(always)]
    pub fn splat(v: f64) -> Self {
        F64s([v; LANES])
    }

    /// The lanes from `s[i..i + LANES]`.
    #[inline(always)]
    pub fn load(s: &[f64], i: usize) -> Self {
        let c: &[f64; LANES] = s[i..i + LANES].try_into().expect("LANES values");
        F64s(*c)
    }

    #[inline(always)]
    fn map(self, f: impl Fn(f64) -> f64) -> Self {
        F64s(self.0.map(f))
    }

    /// `self > o` per lane (false when either is NaN).
    #[inline(always)]
    pub fn gt(self, o: F64s) -> Mask {
        Mask::of(|i| self.0[i] > o.0[i])
    }

    /// `self < o` per lane.
    #[inline(always)]
    pub fn lt(self, o: F64s) -> Mask {
        Mask::of(|i| self.0[i] < o.0[i])
    }

    /// `self >= o` per lane.
    #[inline(always)]
    pub fn ge(self, o: F64s) -> Mask {
        Mask::of(|i| self.0[i] >= o.0[i])
    }

    /// `m ? a : b` per lane.
    #[inline(always)]
    pub fn select(m: Mask, a: F64s, b: F64s) -> F64s {
        F64s(std::array::from_fn(|i| {
            let (a, b) = (a.0[i].to_bits(), b.0[i].to_bits());
            f64::from_bits((a & m.0[i]) | (b & !m.0[i]))
        }))
    }

    #[inline(always)]
    fn bits(self, f: impl Fn(u64) -> u64) -> F64s {
        self.map(|v| f64::from_bits(f(v.to_bits())))
    }

    /// Sum of the lanes, in a fixed order (pairwise).
    #[inline(always)]
    pub fn sum(self) -> f64 {
        let mut v = self.0;
        let mut w = LANES;
        while w > 1 {
            w /= 2;
            for i in 0..w {
                v[i] += v[i + w];
            }
        }
        v[0]
    }
}

/// `1.5·2⁵²`: adding it to `|v| < 2⁵¹` rounds `v` to the nearest integer (ties to even) and leaves
/// that integer in the low mantissa bits (the classic "magic number" rounding, no float→int
/// conversion needed, which SSE2 lacks for packed 64-bit lanes).
const ROUND_MAGIC: f64 = 6755399441055744.0;
const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
/// `1/ln 2` (fdlibm's `invln2` is this same double).
const INV_LN2: f64 = std::f64::consts::LOG2_E;

/// `eˣ` for `x ≤ 0` (the objective only takes `exp` of `t − max t ≤ 0`), or NaN.
///
/// Arguments below −708 are clamped to −708, so the result is ≥ 3·10⁻³⁰⁸ instead of a subnormal or
/// 0: the objective adds these to a term equal to 1 (exactly: `exp(0) = 1` here, as in fdlibm), so
/// the difference is far below one ulp. NaN stays NaN (the clamp is written so that NaN fails the
/// comparison and passes through).
///
/// # Formula
/// fdlibm `e_exp.c`: `x = k·ln2 + r`, `|r| ≤ ln2/2`, `k` an integer (Cody–Waite: `ln2` split in
/// `LN2_HI + LN2_LO` so that `k·LN2_HI` is exact); `eʳ = 1 + r + r·c/(2 − c)` with
/// `c = r − r²·P(r²)`, `P` the degree-4 Remez polynomial of fdlibm (error < 2⁻⁵⁹);
/// `eˣ = 2ᵏ·eʳ`, `2ᵏ` built from its bits.
#[inline(always)]
pub fn exp_nonpos(x: F64s) -> F64s {
    const P1: f64 = 1.666_666_666_666_660_190_37e-1;
    const P2: f64 = -2.777_777_777_701_559_338_42e-3;
    const P3: f64 = 6.613_756_321_437_934_361_17e-5;
    const P4: f64 = -1.653_390_220_546_525_153_90e-6;
    const P5: f64 = 4.138_136_797_057_238_460_39e-8;
    let x = F64s::select(x.lt(F64s::splat(-708.0)), F64s::splat(-708.0), x);
    // k = round(x / ln2) ∈ [−1021, 0] for x ∈ [−708, 0]; `kr` holds k in its low bits.
    let kr = x * INV_LN2 + ROUND_MAGIC;
    let k = kr - ROUND_MAGIC;
    let hi = x - k * LN2_HI; // exact (k has ≤ 11 bits, LN2_HI has 32 significant bits)
    let lo = k * LN2_LO;
    let r = hi - lo;
    let t = r * r;
    let c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    let y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    // 2ᵏ: biased exponent k + 1023 ∈ [2, 1023] in bits 52..62. The low 12 bits of `kr`'s bits are
    // those of k (its mantissa is 2⁵¹ + k and 2⁵¹ has no low bits), so the shift discards the rest.
    let two_k = kr.bits(|b| b.wrapping_add(1023) << 52);
    y * two_k
}

/// `ln x` for positive, normal, finite `x` (the objective only takes `ln` of a sum in `[1, 3]`).
/// NaN and +∞ give NaN (so a non-finite objective stays detectable: the bit manipulation alone
/// would turn them into finite numbers, hence the final `+ (x − x)`, which is 0 for finite `x`
/// and NaN otherwise; IEEE arithmetic does not let the compiler fold it away). 0, negative and
/// subnormal arguments are outside the domain.
///
/// # Formula
/// fdlibm `e_log.c`: `x = 2ᵏ·(1 + f)` with `√2/2 < 1 + f < √2`; `s = f/(2 + f)`,
/// `ln(1 + f) = f − f²/2 + s·(f²/2 + R(s²))`, `R` the degree-7 Remez polynomial of fdlibm
/// (error < 2⁻⁵⁸·⁴⁵); `ln x = k·ln2 + ln(1 + f)` with `ln2 = LN2_HI + LN2_LO`.
#[inline(always)]
pub fn ln_pos(x: F64s) -> F64s {
    const LG1: f64 = 6.666_666_666_666_735_130e-1;
    const LG2: f64 = 3.999_999_999_940_941_908e-1;
    const LG3: f64 = 2.857_142_874_366_239_149e-1;
    const LG4: f64 = 2.222_219_843_214_978_396e-1;
    const LG5: f64 = 1.818_357_216_161_805_012e-1;
    const LG6: f64 = 1.531_383_769_920_937_332e-1;
    const LG7: f64 = 1.479_819_860_511_658_591e-1;
    /// High word of √2/2 (fdlibm's reduction threshold).
    const SQRT_HALF_HI: u64 = 0x3fe6_a09e;
    // Shift the exponent so that mantissas ≥ √2/2·2ᵉ round up to the next power of two
    // (fdlibm adds to the high word; adding to the whole word with zero low bits is the same).
    let ix = x.bits(|b| b.wrapping_add((0x3ff0_0000 - SQRT_HALF_HI) << 32));
    // k as f64 without an int→float conversion (SSE2 has none for 64-bit lanes): the biased
    // exponent k + 1023 (x > 0: no sign bit) as the mantissa of 2⁵², minus 2⁵² + 1023.
    let k = ix.bits(|b| (b >> 52) | 0x4330_0000_0000_0000) - (4_503_599_627_370_496.0 + 1023.0);
    let m = ix.bits(|b| (b & 0x000f_ffff_ffff_ffff) + (SQRT_HALF_HI << 32));
    let f = m - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    // `x − x`: NaN propagation, see above (not a mistake, hence the allow).
    #[allow(clippy::eq_op)]
    let nan_if_not_finite = x - x;
    (s * (hfsq + r) + k * LN2_LO - hfsq + f + k * LN2_HI) + nan_if_not_finite
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place.
    fn ulps(a: f64, b: f64) -> u64 {
        let (a, b) = (a.to_bits() as i64, b.to_bits() as i64);
        (a - b).unsigned_abs()
    }

    /// fdlibm's documented error is < 1 ulp; `std` (also < 1 ulp) may round the other way.
    const MAX_ULPS: u64 = 1;

    /// Checks `fast` against `reference` on four different arguments at once (the lanes must not
    /// mix); returns the worst ulp distance.
    fn check(fast: fn(F64s) -> F64s, reference: fn(f64) -> f64, xs: [f64; 4]) -> u64 {
        let y = fast(lanes(&xs));
        let mut worst = 0;
        for (x, y) in xs.iter().cycle().zip(y.0) {
            let d = ulps(y, reference(*x));
            assert!(d <= MAX_ULPS, "x = {x:e}: {y:e} vs {:e}", reference(*x));
            worst = worst.max(d);
        }
        worst
    }

    /// `xs` repeated over the lanes.
    fn lanes(xs: &[f64]) -> F64s {
        F64s(std::array::from_fn(|i| xs[i % xs.len()]))
    }

    const STEPS: usize = 1_000_000;

    #[test]
    fn exp_matches_std() {
        let mut worst = 0;
        for i in 0..=STEPS {
            let u = i as f64 / STEPS as f64;
            // Dense near 0 (where the objective's arguments mostly are) and out to −708.
            let xs = [-708.0 * u, -40.0 * u, -u, -1e-6 * u];
            worst = worst.max(check(exp_nonpos, f64::exp, xs));
        }
        let one = exp_nonpos(lanes(&[0.0, -0.0, f64::NAN, -1e4]));
        assert_eq!((one.0[0], one.0[1]), (1.0, 1.0));
        assert!(one.0[2].is_nan());
        // Clamped far tail: tiny, positive, finite.
        let tail = exp_nonpos(lanes(&[-708.5, -709.0, -1e4, f64::NEG_INFINITY]));
        assert!(tail.0.iter().all(|&y| y > 0.0 && y < 4e-308), "{tail:?}");
        eprintln!("exp: worst {worst} ulp");
    }

    #[test]
    fn ln_matches_std() {
        let mut worst = 0;
        for i in 0..=STEPS {
            let u = i as f64 / STEPS as f64;
            // [1, 3] (the objective's range), just above 1, below 1, and 1e-300 … 1e300.
            let xs = [
                1.0 + 2.0 * u,
                1.0 + 1e-6 * u,
                1.0 - 0.5 * u,
                (1e300f64).powf(2.0 * u - 1.0),
            ];
            worst = worst.max(check(ln_pos, f64::ln, xs));
        }
        let y = ln_pos(lanes(&[1.0, f64::NAN, f64::INFINITY, 2.0]));
        assert_eq!(y.0[0], 0.0);
        assert!(y.0[1].is_nan() && y.0[2].is_nan());
        assert_eq!(y.0[3], std::f64::consts::LN_2);
        eprintln!("ln: worst {worst} ulp");
    }
}
