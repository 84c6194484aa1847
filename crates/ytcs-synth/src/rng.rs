//! The deterministic pseudo-random numbers of the synthetic data (demo
//! values, generated registers, the benchmarks' files): splitmix64, the
//! same stream for a seed.

use chrono::Duration;
use ytcs_core::Date;

/// Deterministic PRNG (splitmix64); the `u64` is its state, the seed at first.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// `x` rounded up or down at random, so sums keep the expectation.
    pub fn round(&mut self, x: f64) -> i64 {
        let f = x.floor();
        f as i64 + i64::from(self.unit() < x - f)
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Uniform in lo..=hi.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }
    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    /// One of `xs`, each with the chance of its weight.
    pub fn pick<'a, T>(&mut self, xs: &'a [(T, f64)]) -> &'a T {
        let total: f64 = xs.iter().map(|x| x.1).sum();
        let mut r = self.unit() * total;
        for (x, w) in xs {
            if r < *w {
                return x;
            }
            r -= w;
        }
        &xs[xs.len() - 1].0
    }
    /// One of `xs` (not empty), each as likely.
    pub fn choose<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.next_u64() as usize % xs.len()]
    }
    /// A day in `from..=to`, uniform.
    pub fn day_in(&mut self, from: Date, to: Date) -> Date {
        from + Duration::days(self.range(0, (to - from).num_days().max(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_stream() {
        let mut a = Rng(7);
        let mut b = Rng(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let x = Rng(1).unit();
        assert!((0.0..1.0).contains(&x));
    }
}
