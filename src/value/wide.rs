//! A small fixed-width unsigned integer (512 bits).
//!
//! rust_decimal holds 96-bit mantissas, which is too narrow to compute
//! `ln`, `exp`, `sqrt` and powers to the last digit: the intermediate
//! steps need guard digits. This type gives those steps room, with every
//! operation checked (an overflow is `None`, never a panic or a wrap).

use std::cmp::Ordering;

/// Number of 64-bit limbs.
const LIMBS: usize = 8;

/// 10^19, the largest power of ten that fits in a `u64`.
const TEN_POW_19: u64 = 10_000_000_000_000_000_000;

/// An unsigned integer of 512 bits, least significant limb first.
///
/// It exists so that the decimal maths can carry 60+ digits of guard
/// precision without a bignum dependency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Big([u64; LIMBS]);

impl Ord for Big {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.0.iter().rev().zip(other.0.iter().rev()) {
            match a.cmp(b) {
                Ordering::Equal => {}
                unequal => return unequal,
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Big {
    /// Zero, the starting point of sums.
    pub(crate) const ZERO: Big = Big([0; LIMBS]);

    /// Widens a `u128` (rust_decimal mantissas fit in one).
    pub(crate) fn from_u128(v: u128) -> Big {
        let mut limbs = [0u64; LIMBS];
        for (i, limb) in limbs.iter_mut().take(2).enumerate() {
            *limb = (v >> (64 * i)) as u64;
        }
        Big(limbs)
    }

    /// Narrows back to a `u128` when the value fits.
    pub(crate) fn to_u128(self) -> Option<u128> {
        if self.0.iter().skip(2).any(|&l| l != 0) {
            return None;
        }
        let lo = self.0.first().copied().unwrap_or(0) as u128;
        let hi = self.0.get(1).copied().unwrap_or(0) as u128;
        Some(lo | (hi << 64))
    }

    /// True for zero; cheaper than comparing.
    pub(crate) fn is_zero(&self) -> bool {
        self.0.iter().all(|&l| l == 0)
    }

    /// Number of significant bits (0 for zero).
    pub(crate) fn bits(&self) -> u32 {
        for (i, limb) in self.0.iter().enumerate().rev() {
            if *limb != 0 {
                return 64 * i as u32 + (64 - limb.leading_zeros());
            }
        }
        0
    }

    /// Whether bit `i` is set.
    fn bit(&self, i: u32) -> bool {
        let limb = self.0.get((i / 64) as usize).copied().unwrap_or(0);
        (limb >> (i % 64)) & 1 == 1
    }

    /// Sets bit `i` (ignored past the width).
    fn set_bit(&mut self, i: u32) {
        if let Some(limb) = self.0.get_mut((i / 64) as usize) {
            *limb |= 1 << (i % 64);
        }
    }

    /// Shifts left by one bit, `None` when the top bit would be lost.
    fn shl1(&self) -> Option<Big> {
        let mut out = [0u64; LIMBS];
        let mut carry = 0u64;
        for (o, &l) in out.iter_mut().zip(self.0.iter()) {
            *o = (l << 1) | carry;
            carry = l >> 63;
        }
        (carry == 0).then_some(Big(out))
    }

    /// Sum, `None` on overflow.
    pub(crate) fn checked_add(&self, other: &Big) -> Option<Big> {
        let mut out = [0u64; LIMBS];
        let mut carry = false;
        for ((o, &a), &b) in out.iter_mut().zip(self.0.iter()).zip(other.0.iter()) {
            let (s1, c1) = a.overflowing_add(b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *o = s2;
            carry = c1 || c2;
        }
        (!carry).then_some(Big(out))
    }

    /// Difference, `None` when `other` is larger.
    pub(crate) fn checked_sub(&self, other: &Big) -> Option<Big> {
        let mut out = [0u64; LIMBS];
        let mut borrow = false;
        for ((o, &a), &b) in out.iter_mut().zip(self.0.iter()).zip(other.0.iter()) {
            let (d1, b1) = a.overflowing_sub(b);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *o = d2;
            borrow = b1 || b2;
        }
        (!borrow).then_some(Big(out))
    }

    /// Product, `None` when it needs more than 512 bits.
    pub(crate) fn checked_mul(&self, other: &Big) -> Option<Big> {
        let mut out = [0u64; LIMBS];
        for (i, &a) in self.0.iter().enumerate() {
            if a == 0 {
                continue;
            }
            let mut carry: u128 = 0;
            for (j, &b) in other.0.iter().enumerate() {
                let cur = (a as u128) * (b as u128) + carry;
                if cur == 0 {
                    continue;
                }
                let slot = out.get_mut(i + j)?;
                let sum = (*slot as u128) + (cur & u128::from(u64::MAX));
                *slot = sum as u64;
                carry = (cur >> 64) + (sum >> 64);
            }
            let mut k = i + LIMBS;
            while carry != 0 {
                let slot = out.get_mut(k)?;
                let sum = (*slot as u128) + carry;
                *slot = sum as u64;
                carry = sum >> 64;
                k += 1;
            }
        }
        Some(Big(out))
    }

    /// Product with a small factor, `None` on overflow.
    pub(crate) fn checked_mul_small(&self, m: u64) -> Option<Big> {
        let mut out = [0u64; LIMBS];
        let mut carry: u128 = 0;
        for (o, &l) in out.iter_mut().zip(self.0.iter()) {
            let cur = (l as u128) * (m as u128) + carry;
            *o = cur as u64;
            carry = cur >> 64;
        }
        (carry == 0).then_some(Big(out))
    }

    /// Quotient and remainder by a small divisor, `None` for zero.
    pub(crate) fn divrem_small(&self, d: u64) -> Option<(Big, u64)> {
        if d == 0 {
            return None;
        }
        let mut out = [0u64; LIMBS];
        let mut rem: u128 = 0;
        for (o, &l) in out.iter_mut().zip(self.0.iter()).rev() {
            let cur = (rem << 64) | l as u128;
            *o = (cur / d as u128) as u64;
            rem = cur % d as u128;
        }
        Some((Big(out), rem as u64))
    }

    /// Quotient and remainder, `None` for a zero divisor.
    pub(crate) fn divrem(&self, d: &Big) -> Option<(Big, Big)> {
        if d.is_zero() {
            return None;
        }
        if let Some(small) = d.to_u128().and_then(|v| u64::try_from(v).ok()) {
            let (q, r) = self.divrem_small(small)?;
            return Some((q, Big::from_u128(r as u128)));
        }
        let mut q = Big::ZERO;
        let mut r = Big::ZERO;
        for i in (0..self.bits()).rev() {
            r = r.shl1()?;
            if self.bit(i) {
                r.set_bit(0);
            }
            if r >= *d {
                r = r.checked_sub(d)?;
                q.set_bit(i);
            }
        }
        Some((q, r))
    }

    /// Quotient rounded to nearest, ties away from zero.
    pub(crate) fn div_round(&self, d: &Big) -> Option<Big> {
        let (q, r) = self.divrem(d)?;
        let twice = r.shl1()?;
        if twice >= *d {
            q.checked_add(&Big::from_u128(1))
        } else {
            Some(q)
        }
    }

    /// 10^n, `None` past the width (n <= 154 fits).
    pub(crate) fn pow10(n: u32) -> Option<Big> {
        let mut out = Big::from_u128(1);
        let mut left = n;
        while left >= 19 {
            out = out.checked_mul_small(TEN_POW_19)?;
            left -= 19;
        }
        out.checked_mul_small(10u64.pow(left))
    }

    /// Number of decimal digits (0 for zero).
    pub(crate) fn digits(&self) -> u32 {
        let mut x = *self;
        let mut count = 0;
        loop {
            match x.to_u128().and_then(|v| u64::try_from(v).ok()) {
                Some(small) if small < TEN_POW_19 => {
                    return count + small.checked_ilog10().map_or(0, |d| d + 1);
                }
                _ => {}
            }
            match x.divrem_small(TEN_POW_19) {
                Some((q, _)) => x = q,
                None => return count,
            }
            count += 19;
        }
    }

    /// Multiplies by 10^n, `None` on overflow.
    pub(crate) fn mul_pow10(&self, n: u32) -> Option<Big> {
        self.checked_mul(&Big::pow10(n)?)
    }

    /// Divides by 10^n, rounding to nearest (ties away from zero).
    /// Values far below 10^n round to zero without building 10^n.
    pub(crate) fn div_pow10_round(&self, n: u32) -> Option<Big> {
        if n > self.digits() {
            return Some(Big::ZERO);
        }
        // floor(floor(x / a) / b) = floor(x / ab): divide in u64-sized steps,
        // then recover the remainder to decide the rounding.
        let mut q = *self;
        let mut left = n;
        while left > 0 {
            let step = left.min(19);
            q = q.divrem_small(10u64.pow(step))?.0;
            left -= step;
        }
        let divisor = Big::pow10(n)?;
        let remainder = self.checked_sub(&q.checked_mul(&divisor)?)?;
        if remainder.shl1()? >= divisor {
            q.checked_add(&Big::from_u128(1))
        } else {
            Some(q)
        }
    }

    /// Floor of the square root (Newton's method from above).
    pub(crate) fn isqrt(&self) -> Option<Big> {
        if self.is_zero() {
            return Some(Big::ZERO);
        }
        let mut x = Big::ZERO;
        x.set_bit(self.bits().div_ceil(2));
        // Newton from above decreases strictly until it reaches the floor;
        // the bound only guards against a logic error.
        for _ in 0..1024 {
            let (q, _) = self.divrem(&x)?;
            let (y, _) = x.checked_add(&q)?.divrem_small(2)?;
            if y >= x {
                return Some(x);
            }
            x = y;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(v: u128) -> Big {
        Big::from_u128(v)
    }

    #[test]
    fn arithmetic_matches_u128() {
        let a = big(123_456_789_012_345_678_901_234_567);
        let b = big(987_654_321);
        assert_eq!(
            a.checked_add(&b),
            Some(big(123_456_789_012_345_679_888_888_888))
        );
        assert_eq!(
            a.checked_sub(&b),
            Some(big(123_456_789_012_345_677_913_580_246))
        );
        assert_eq!(b.checked_sub(&a), None);
        assert_eq!(
            big(u64::MAX as u128).checked_mul(&big(u64::MAX as u128)),
            Some(big((u64::MAX as u128) * (u64::MAX as u128)))
        );
        let (q, r) = a.divrem(&b).unwrap();
        assert_eq!(q, big(123_456_789_012_345_678_901_234_567 / 987_654_321));
        assert_eq!(r, big(123_456_789_012_345_678_901_234_567 % 987_654_321));
    }

    #[test]
    fn wide_division_round_trips() {
        let a = Big::pow10(100).unwrap().checked_add(&big(12345)).unwrap();
        let d = Big::pow10(40).unwrap().checked_add(&big(7)).unwrap();
        let (q, r) = a.divrem(&d).unwrap();
        assert!(r < d);
        assert_eq!(q.checked_mul(&d).unwrap().checked_add(&r), Some(a));
    }

    #[test]
    fn overflow_is_none() {
        let top = Big::pow10(154).unwrap();
        assert_eq!(Big::pow10(155), None);
        assert_eq!(top.checked_mul(&top), None);
        assert_eq!(top.checked_mul_small(1000), None);
        assert_eq!(big(1).divrem(&Big::ZERO), None);
    }

    #[test]
    fn digits_and_rounding() {
        assert_eq!(Big::ZERO.digits(), 0);
        assert_eq!(big(9).digits(), 1);
        assert_eq!(big(10).digits(), 2);
        assert_eq!(Big::pow10(60).unwrap().digits(), 61);
        assert_eq!(big(1234).div_pow10_round(2), Some(big(12)));
        assert_eq!(big(1250).div_pow10_round(2), Some(big(13)));
        assert_eq!(big(1249).div_pow10_round(2), Some(big(12)));
        assert_eq!(big(5).div_pow10_round(1), Some(big(1)));
        assert_eq!(big(5).div_pow10_round(2), Some(big(0)));
    }

    #[test]
    fn integer_square_root() {
        assert_eq!(big(0).isqrt(), Some(big(0)));
        assert_eq!(big(1).isqrt(), Some(big(1)));
        assert_eq!(big(15).isqrt(), Some(big(3)));
        assert_eq!(big(16).isqrt(), Some(big(4)));
        let n = Big::pow10(100).unwrap();
        assert_eq!(n.isqrt(), Big::pow10(50));
        let m = n.checked_sub(&big(1)).unwrap();
        assert_eq!(m.isqrt(), Big::pow10(50).unwrap().checked_sub(&big(1)));
    }
}
