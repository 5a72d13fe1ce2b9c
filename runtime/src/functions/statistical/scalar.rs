//! The statistical functions of scalar numbers (distributions, FISHER,
//! PERMUT...): their names, arities and dispatch.
//!
//! Each argument is coerced as arithmetic does; an omitted optional
//! argument takes the function's default.

use super::distributions as d;
use crate::coerce::arg;
use crate::functions::{Param, Signature};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// The statistical functions of scalar numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarFn {
    NormDist,
    NormInv,
    NormSDist,
    NormSInv,
    LognormDist,
    LognormInv,
    BinomDist,
    BinomDistRange,
    BinomInv,
    NegbinomDist,
    PoissonDist,
    ExponDist,
    GammaDist,
    GammaInv,
    Gamma,
    GammaLn,
    GammaLnPrecise,
    BetaDist,
    BetaInv,
    TDist,
    TDistRt,
    TDist2T,
    TInv,
    TInv2T,
    ChisqDist,
    ChisqDistRt,
    ChisqInv,
    ChisqInvRt,
    FDist,
    FDistRt,
    FInv,
    FInvRt,
    WeibullDist,
    HypgeomDist,
    Fisher,
    FisherInv,
    Gauss,
    Phi,
    Standardize,
    ConfidenceNorm,
    ConfidenceT,
    Permut,
    PermutationA,
    /// `NORMSDIST(z)`: the cumulative standard normal.
    LegacyNormSDist,
    /// `LOGNORMDIST(x, mean, standard_dev)`: cumulative.
    LegacyLognormDist,
    /// `NEGBINOMDIST(number_f, number_s, probability_s)`: the mass.
    LegacyNegbinomDist,
    /// `HYPGEOMDIST(sample_s, number_sample, population_s, number_pop)`: the mass.
    LegacyHypgeomDist,
    /// `BETADIST(x, alpha, beta, [A], [B])`: cumulative.
    LegacyBetaDist,
    /// `TDIST(x, deg_freedom, tails)`: the one- or two-tailed upper probability.
    LegacyTDist,
}

/// Every function with its name and arity.
const TABLE: &[(ScalarFn, &str, usize, usize)] = &[
    (ScalarFn::NormDist, "NORM.DIST", 4, 4),
    (ScalarFn::NormInv, "NORM.INV", 3, 3),
    (ScalarFn::NormSDist, "NORM.S.DIST", 2, 2),
    (ScalarFn::NormSInv, "NORM.S.INV", 1, 1),
    (ScalarFn::LognormDist, "LOGNORM.DIST", 4, 4),
    (ScalarFn::LognormInv, "LOGNORM.INV", 3, 3),
    (ScalarFn::BinomDist, "BINOM.DIST", 4, 4),
    (ScalarFn::BinomDistRange, "BINOM.DIST.RANGE", 3, 4),
    (ScalarFn::BinomInv, "BINOM.INV", 3, 3),
    (ScalarFn::NegbinomDist, "NEGBINOM.DIST", 4, 4),
    (ScalarFn::PoissonDist, "POISSON.DIST", 3, 3),
    (ScalarFn::ExponDist, "EXPON.DIST", 3, 3),
    (ScalarFn::GammaDist, "GAMMA.DIST", 4, 4),
    (ScalarFn::GammaInv, "GAMMA.INV", 3, 3),
    (ScalarFn::Gamma, "GAMMA", 1, 1),
    (ScalarFn::GammaLn, "GAMMALN", 1, 1),
    (ScalarFn::GammaLnPrecise, "GAMMALN.PRECISE", 1, 1),
    (ScalarFn::BetaDist, "BETA.DIST", 4, 6),
    (ScalarFn::BetaInv, "BETA.INV", 3, 5),
    (ScalarFn::TDist, "T.DIST", 3, 3),
    (ScalarFn::TDistRt, "T.DIST.RT", 2, 2),
    (ScalarFn::TDist2T, "T.DIST.2T", 2, 2),
    (ScalarFn::TInv, "T.INV", 2, 2),
    (ScalarFn::TInv2T, "T.INV.2T", 2, 2),
    (ScalarFn::ChisqDist, "CHISQ.DIST", 3, 3),
    (ScalarFn::ChisqDistRt, "CHISQ.DIST.RT", 2, 2),
    (ScalarFn::ChisqInv, "CHISQ.INV", 2, 2),
    (ScalarFn::ChisqInvRt, "CHISQ.INV.RT", 2, 2),
    (ScalarFn::FDist, "F.DIST", 4, 4),
    (ScalarFn::FDistRt, "F.DIST.RT", 3, 3),
    (ScalarFn::FInv, "F.INV", 3, 3),
    (ScalarFn::FInvRt, "F.INV.RT", 3, 3),
    (ScalarFn::WeibullDist, "WEIBULL.DIST", 4, 4),
    (ScalarFn::HypgeomDist, "HYPGEOM.DIST", 5, 5),
    (ScalarFn::Fisher, "FISHER", 1, 1),
    (ScalarFn::FisherInv, "FISHERINV", 1, 1),
    (ScalarFn::Gauss, "GAUSS", 1, 1),
    (ScalarFn::Phi, "PHI", 1, 1),
    (ScalarFn::Standardize, "STANDARDIZE", 3, 3),
    (ScalarFn::ConfidenceNorm, "CONFIDENCE.NORM", 3, 3),
    (ScalarFn::ConfidenceT, "CONFIDENCE.T", 3, 3),
    (ScalarFn::Permut, "PERMUT", 2, 2),
    (ScalarFn::PermutationA, "PERMUTATIONA", 2, 2),
    // The compatibility functions Excel kept from before 2010.
    (ScalarFn::NormDist, "NORMDIST", 4, 4),
    (ScalarFn::NormInv, "NORMINV", 3, 3),
    (ScalarFn::LegacyNormSDist, "NORMSDIST", 1, 1),
    (ScalarFn::NormSInv, "NORMSINV", 1, 1),
    (ScalarFn::LegacyLognormDist, "LOGNORMDIST", 3, 3),
    (ScalarFn::LognormInv, "LOGINV", 3, 3),
    (ScalarFn::BinomDist, "BINOMDIST", 4, 4),
    (ScalarFn::BinomInv, "CRITBINOM", 3, 3),
    (ScalarFn::LegacyNegbinomDist, "NEGBINOMDIST", 3, 3),
    (ScalarFn::PoissonDist, "POISSON", 3, 3),
    (ScalarFn::ExponDist, "EXPONDIST", 3, 3),
    (ScalarFn::GammaDist, "GAMMADIST", 4, 4),
    (ScalarFn::GammaInv, "GAMMAINV", 3, 3),
    (ScalarFn::LegacyBetaDist, "BETADIST", 3, 5),
    (ScalarFn::BetaInv, "BETAINV", 3, 5),
    (ScalarFn::LegacyTDist, "TDIST", 3, 3),
    (ScalarFn::TInv2T, "TINV", 2, 2),
    (ScalarFn::ChisqDistRt, "CHIDIST", 2, 2),
    (ScalarFn::ChisqInvRt, "CHIINV", 2, 2),
    (ScalarFn::FDistRt, "FDIST", 3, 3),
    (ScalarFn::FInvRt, "FINV", 3, 3),
    (ScalarFn::WeibullDist, "WEIBULL", 4, 4),
    (ScalarFn::LegacyHypgeomDist, "HYPGEOMDIST", 4, 4),
    (ScalarFn::ConfidenceNorm, "CONFIDENCE", 3, 3),
];

/// One function under one of its names: `NORMDIST` and `NORM.DIST` are
/// the same function, each found by its own name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Named {
    f: ScalarFn,
    index: usize,
}

impl Named {
    /// Every function of this group, one entry per name.
    pub fn all() -> impl Iterator<Item = Named> {
        TABLE.iter().enumerate().map(|(index, row)| Named { f: row.0, index })
    }

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        TABLE.get(self.index).map_or("", |row| row.1)
    }

    pub fn signature(self) -> Signature {
        let (min, max) = TABLE.get(self.index).map_or((0, 0), |r| (r.2, r.3));
        Signature::new(min, Some(max), &[Param::Scalar])
    }
}

/// The position of the `cumulative` flag, which also takes the text
/// `"TRUE"` or `"false"` as `IF` does.
fn flag_position(f: ScalarFn) -> Option<usize> {
    match f {
        ScalarFn::NormSDist => Some(1),
        ScalarFn::PoissonDist | ScalarFn::ExponDist | ScalarFn::TDist | ScalarFn::ChisqDist => {
            Some(2)
        }
        ScalarFn::NormDist | ScalarFn::LognormDist | ScalarFn::BinomDist => Some(3),
        ScalarFn::NegbinomDist | ScalarFn::GammaDist | ScalarFn::BetaDist => Some(3),
        ScalarFn::FDist | ScalarFn::WeibullDist => Some(3),
        ScalarFn::HypgeomDist => Some(4),
        _ => None,
    }
}

/// The arguments as numbers; `None` for those not given.
fn numbers(
    f: ScalarFn,
    args: &[Operand],
    ctx: &dyn Context,
) -> Result<[Option<f64>; 6], ExcelError> {
    let mut out = [None; 6];
    let flag = flag_position(f);
    for (i, slot) in out.iter_mut().enumerate().take(args.len()) {
        let value = arg(args, i, ctx);
        let n = if flag == Some(i) {
            f64::from(u8::from(value.to_bool()?))
        } else {
            value.to_number()?
        };
        *slot = Some(n);
    }
    Ok(out)
}

pub(crate) fn call(f: Named, args: &[Operand], ctx: &dyn Context) -> Operand {
    let res = numbers(f.f, args, ctx).and_then(|x| evaluate(f.f, x));
    Operand::Value(res.map(Value::number).unwrap_or_else(Value::Error))
}

// One arm per function keeps the argument order next to the function; the
// match is long but flat.
fn evaluate(f: ScalarFn, x: [Option<f64>; 6]) -> Result<f64, ExcelError> {
    let v = |i: usize| x[i].unwrap_or(0.0);
    let flag = |i: usize| v(i) != 0.0;
    match f {
        ScalarFn::NormDist => d::norm_dist(v(0), v(1), v(2), flag(3)),
        ScalarFn::NormInv => d::norm_inverse(v(0), v(1), v(2)),
        ScalarFn::NormSDist => d::norm_dist(v(0), 0.0, 1.0, flag(1)),
        ScalarFn::NormSInv => d::norm_inverse(v(0), 0.0, 1.0),
        ScalarFn::LognormDist => d::lognorm_dist(v(0), v(1), v(2), flag(3)),
        ScalarFn::LognormInv => d::lognorm_inverse(v(0), v(1), v(2)),
        ScalarFn::BinomDist => d::binom_dist(v(0), v(1), v(2), flag(3)),
        ScalarFn::BinomDistRange => d::binom_dist_range(v(0), v(1), v(2), x[3]),
        ScalarFn::BinomInv => d::binom_inv(v(0), v(1), v(2)),
        ScalarFn::NegbinomDist => d::negbinom_dist(v(0), v(1), v(2), flag(3)),
        ScalarFn::PoissonDist => d::poisson_dist(v(0), v(1), flag(2)),
        ScalarFn::ExponDist => d::expon_dist(v(0), v(1), flag(2)),
        ScalarFn::GammaDist => d::gamma_dist(v(0), v(1), v(2), flag(3)),
        ScalarFn::GammaInv => d::gamma_inv(v(0), v(1), v(2)),
        ScalarFn::Gamma => d::gamma_fn(v(0)),
        ScalarFn::GammaLn | ScalarFn::GammaLnPrecise => d::gammaln(v(0)),
        ScalarFn::BetaDist => d::beta_dist(v(0), v(1), v(2), flag(3), v(4), x[5].unwrap_or(1.0)),
        ScalarFn::BetaInv => d::beta_inv(v(0), v(1), v(2), v(3), x[4].unwrap_or(1.0)),
        ScalarFn::TDist => d::t_dist(v(0), v(1), flag(2)),
        ScalarFn::TDistRt => d::t_dist_rt(v(0), v(1)),
        ScalarFn::TDist2T => d::t_dist_2t(v(0), v(1)),
        ScalarFn::TInv => d::t_inv(v(0), v(1)),
        ScalarFn::TInv2T => d::t_inv_2t(v(0), v(1)),
        ScalarFn::ChisqDist => d::chisq_dist(v(0), v(1), flag(2)),
        ScalarFn::ChisqDistRt => d::chisq_dist_rt(v(0), v(1)),
        ScalarFn::ChisqInv => d::chisq_inv(v(0), v(1)),
        ScalarFn::ChisqInvRt => d::chisq_inv_rt(v(0), v(1)),
        ScalarFn::FDist => d::f_dist(v(0), v(1), v(2), flag(3)),
        ScalarFn::FDistRt => d::f_dist_rt(v(0), v(1), v(2)),
        ScalarFn::FInv => d::f_inv(v(0), v(1), v(2)),
        ScalarFn::FInvRt => d::f_inv_rt(v(0), v(1), v(2)),
        ScalarFn::WeibullDist => d::weibull_dist(v(0), v(1), v(2), flag(3)),
        ScalarFn::HypgeomDist => d::hypgeom_dist(v(0), v(1), v(2), v(3), flag(4)),
        ScalarFn::Fisher => d::fisher(v(0)),
        ScalarFn::FisherInv => d::fisher_inv(v(0)),
        ScalarFn::Gauss => d::gauss(v(0)),
        ScalarFn::Phi => d::phi(v(0)),
        ScalarFn::Standardize => d::standardize(v(0), v(1), v(2)),
        ScalarFn::ConfidenceNorm => d::confidence_norm(v(0), v(1), v(2)),
        ScalarFn::ConfidenceT => d::confidence_t(v(0), v(1), v(2)),
        ScalarFn::Permut => d::permut(v(0), v(1)),
        ScalarFn::PermutationA => d::permutationa(v(0), v(1)),
        ScalarFn::LegacyNormSDist => d::norm_dist(v(0), 0.0, 1.0, true),
        ScalarFn::LegacyLognormDist => d::lognorm_dist(v(0), v(1), v(2), true),
        ScalarFn::LegacyNegbinomDist => d::negbinom_dist(v(0), v(1), v(2), false),
        ScalarFn::LegacyHypgeomDist => d::hypgeom_dist(v(0), v(1), v(2), v(3), false),
        ScalarFn::LegacyBetaDist => d::beta_dist(v(0), v(1), v(2), true, v(3), x[4].unwrap_or(1.0)),
        ScalarFn::LegacyTDist => d::t_dist_tails(v(0), v(1), v(2)),
    }
}
