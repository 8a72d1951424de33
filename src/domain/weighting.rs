//! Weighting by raking (iterative proportional fitting), weight trimming,
//! the Kish design effect and margins of error. Pure arithmetic; the method
//! is explained in `docs/results.md`.
//!
//! Raking works on *units*: groups of respondents who share every weighting
//! attribute (for Rådslag: one age band × gender × district cell), each with a
//! count. All respondents of a unit get the same weight, so results can be
//! weighted from SQL aggregates without loading single responses.

/// Respondents who share the same category in every dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Category index per dimension; `None` when unknown (the unit is then
    /// left out of that dimension's adjustment).
    pub categories: Vec<Option<usize>>,
    /// Number of respondents.
    pub count: f64,
}

/// Population shares one dimension's weighted sample must match.
#[derive(Debug, Clone, PartialEq)]
pub struct Margin {
    /// Index of the dimension in [`Unit::categories`].
    pub dimension: usize,
    /// Population per category (counts or shares; only the proportions matter).
    pub population: Vec<f64>,
}

/// Bounds for trimming, relative to the mean weight (e.g. 0.3 and 3.0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrimBounds {
    /// Smallest weight allowed, as a multiple of the mean weight.
    pub lower: f64,
    /// Largest weight allowed, as a multiple of the mean weight.
    pub upper: f64,
}

/// How raking runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RakingOptions {
    /// Stop when no weighted share differs from its target by more than this.
    pub tolerance: f64,
    /// Stop after this many iterations even if not converged.
    pub max_iterations: u32,
    /// Trim weights after each iteration (and rake again), if set.
    pub trim: Option<TrimBounds>,
}

impl Default for RakingOptions {
    fn default() -> Self {
        Self { tolerance: 1e-6, max_iterations: 100, trim: Some(TrimBounds { lower: 0.3, upper: 3.0 }) }
    }
}

/// The outcome of raking.
#[derive(Debug, Clone, PartialEq)]
pub struct Raked {
    /// Weight of each unit's respondents, in the order given, scaled so the
    /// mean weight over all respondents is 1.
    pub weights: Vec<f64>,
    /// Iterations run.
    pub iterations: u32,
    /// Whether every margin was met within the tolerance.
    pub converged: bool,
    /// Largest difference between a weighted share and its target at the end.
    pub max_deviation: f64,
    /// Units whose weight sits at a trimming bound at the end.
    pub trimmed_units: usize,
}

/// A margin restricted to the categories present in the sample, as shares.
struct PreparedMargin {
    dimension: usize,
    targets: Vec<Option<f64>>,
}

fn prepare(units: &[Unit], margins: &[Margin]) -> Vec<PreparedMargin> {
    margins
        .iter()
        .filter_map(|margin| {
            let present = |category: usize| {
                units.iter().any(|u| u.count > 0.0 && u.categories.get(margin.dimension) == Some(&Some(category)))
            };
            let total: f64 =
                margin.population.iter().enumerate().filter(|(c, _)| present(*c)).map(|(_, p)| p.max(0.0)).sum();
            if total <= 0.0 {
                return None;
            }
            let targets =
                margin.population.iter().enumerate().map(|(c, p)| present(c).then(|| p.max(0.0) / total)).collect();
            Some(PreparedMargin { dimension: margin.dimension, targets })
        })
        .collect()
}

/// Weighted totals per category of one dimension, and the covered total.
fn category_totals(units: &[Unit], weights: &[f64], margin: &PreparedMargin) -> (Vec<f64>, f64) {
    let mut totals = vec![0.0; margin.targets.len()];
    for (unit, weight) in units.iter().zip(weights) {
        if let Some(Some(category)) = unit.categories.get(margin.dimension)
            && let Some(slot) = totals.get_mut(*category)
        {
            *slot += unit.count * weight;
        }
    }
    let covered = totals.iter().sum();
    (totals, covered)
}

fn deviation(units: &[Unit], weights: &[f64], margins: &[PreparedMargin]) -> f64 {
    let mut worst: f64 = 0.0;
    for margin in margins {
        let (totals, covered) = category_totals(units, weights, margin);
        if covered <= 0.0 {
            continue;
        }
        for (total, target) in totals.iter().zip(&margin.targets) {
            if let Some(target) = target {
                worst = worst.max((total / covered - target).abs());
            }
        }
    }
    worst
}

fn normalise(units: &[Unit], weights: &mut [f64]) {
    let respondents: f64 = units.iter().map(|u| u.count).sum();
    let weighted: f64 = units.iter().zip(weights.iter()).map(|(u, w)| u.count * w).sum();
    if weighted > 0.0 {
        let factor = respondents / weighted;
        weights.iter_mut().for_each(|w| *w *= factor);
    }
}

/// Rake the units' weights to the margins. Categories of a margin without
/// respondents are left out and the remaining targets rescaled; units with
/// an unknown category keep their weight for that dimension.
pub fn rake(units: &[Unit], margins: &[Margin], options: &RakingOptions) -> Raked {
    let margins = prepare(units, margins);
    let mut weights = vec![1.0; units.len()];
    let mut iterations = 0;
    let mut max_deviation = deviation(units, &weights, &margins);
    while max_deviation > options.tolerance && iterations < options.max_iterations {
        iterations += 1;
        for margin in &margins {
            let (totals, covered) = category_totals(units, &weights, margin);
            for (unit, weight) in units.iter().zip(weights.iter_mut()) {
                if let Some(Some(category)) = unit.categories.get(margin.dimension)
                    && let (Some(total), Some(Some(target))) = (totals.get(*category), margin.targets.get(*category))
                    && *total > 0.0
                {
                    *weight *= target * covered / total;
                }
            }
        }
        normalise(units, &mut weights);
        if let Some(bounds) = options.trim {
            for weight in weights.iter_mut() {
                *weight = weight.clamp(bounds.lower, bounds.upper);
            }
        }
        max_deviation = deviation(units, &weights, &margins);
    }
    normalise(units, &mut weights);
    let trimmed_units = options.trim.map_or(0, |bounds| {
        weights.iter().filter(|w| (**w - bounds.lower).abs() < 1e-6 || (**w - bounds.upper).abs() < 1e-6).count()
    });
    Raked { weights, iterations, converged: max_deviation <= options.tolerance, max_deviation, trimmed_units }
}

/// Sums of a weighted sample: respondents n, Σw and Σw².
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WeightSums {
    /// Number of respondents.
    pub n: f64,
    /// Sum of weights.
    pub sum: f64,
    /// Sum of squared weights.
    pub sum_of_squares: f64,
}

impl WeightSums {
    /// Add `count` respondents of weight `weight`.
    pub fn add(&mut self, count: f64, weight: f64) {
        self.n += count;
        self.sum += count * weight;
        self.sum_of_squares += count * weight * weight;
    }

    /// Kish's design effect due to weighting: n·Σw² / (Σw)² (1 when unweighted).
    pub fn design_effect(&self) -> f64 {
        if self.sum <= 0.0 { 1.0 } else { self.n * self.sum_of_squares / (self.sum * self.sum) }
    }

    /// Effective sample size: n / deff = (Σw)² / Σw².
    pub fn effective_n(&self) -> f64 {
        if self.sum_of_squares <= 0.0 { 0.0 } else { self.sum * self.sum / self.sum_of_squares }
    }
}

/// Half-width of the 95 % confidence interval of a proportion `p` from `n`
/// respondents with design effect `deff`: 1.96·√(deff·p(1−p)/n).
pub fn margin_of_error(p: f64, n: f64, deff: f64) -> f64 {
    if n <= 0.0 {
        return 0.0;
    }
    1.96 * (deff * p * (1.0 - p) / n).sqrt()
}

/// Half-width of the 95 % confidence interval of a weighted mean whose
/// (weighted) variance among `n` respondents is `variance`, with design
/// effect `deff`: 1.96·√(deff·s²/n). NPS uses it with scores of +100, 0
/// and −100 per respondent.
pub fn margin_of_error_of_mean(variance: f64, n: f64, deff: f64) -> f64 {
    if n <= 0.0 {
        return 0.0;
    }
    1.96 * (deff * variance.max(0.0) / n).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_margin_of_a_mean_follows_its_variance() {
        // Values 1 and 3, half each: variance 1; n 100, deff 1.25 → 1.96·√0.0125.
        assert!((margin_of_error_of_mean(1.0, 100.0, 1.25) - 0.219_135).abs() < 1e-6);
        // A proportion is the mean of 0/1 scores: the two formulas agree.
        let p: f64 = 0.3;
        assert!((margin_of_error_of_mean(p * (1.0 - p), 50.0, 1.1) - margin_of_error(p, 50.0, 1.1)).abs() < 1e-12);
        assert_eq!(margin_of_error_of_mean(1.0, 0.0, 1.0), 0.0);
    }

    const FIXTURE: &str = include_str!("../../tests/fixtures/weighting.json");

    fn fixture() -> serde_json::Value {
        serde_json::from_str(FIXTURE).expect("fixture is JSON")
    }

    fn numbers(value: &serde_json::Value) -> Vec<f64> {
        value.as_array().expect("array").iter().map(|v| v.as_f64().expect("number")).collect()
    }

    fn units_of(case: &serde_json::Value) -> Vec<Unit> {
        case["units"]
            .as_array()
            .expect("units")
            .iter()
            .map(|u| Unit {
                categories: u["categories"]
                    .as_array()
                    .expect("categories")
                    .iter()
                    .map(|c| c.as_u64().map(|c| c as usize))
                    .collect(),
                count: u["count"].as_f64().expect("count"),
            })
            .collect()
    }

    fn margins_of(case: &serde_json::Value) -> Vec<Margin> {
        case["margins"]
            .as_array()
            .expect("margins")
            .iter()
            .map(|m| Margin {
                dimension: m["dimension"].as_u64().expect("dimension") as usize,
                population: numbers(&m["population"]),
            })
            .collect()
    }

    fn assert_close(actual: &[f64], expected: &[f64], tolerance: f64) {
        assert_eq!(actual.len(), expected.len());
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() < tolerance, "{actual:?} differs from {expected:?}");
        }
    }

    #[test]
    fn one_iteration_matches_the_hand_computed_example() {
        let case = &fixture()["two_by_two"];
        let options = RakingOptions { tolerance: 0.0, max_iterations: 1, trim: None };
        let raked = rake(&units_of(case), &margins_of(case), &options);
        assert_eq!(raked.iterations, 1);
        assert!(!raked.converged);
        assert_close(&raked.weights, &numbers(&case["after_one_iteration"]), 1e-9);
    }

    #[test]
    fn converged_weights_match_the_independent_computation() {
        let case = &fixture()["two_by_two"];
        let options = RakingOptions { tolerance: 1e-10, max_iterations: 200, trim: None };
        let raked = rake(&units_of(case), &margins_of(case), &options);
        assert!(raked.converged, "{raked:?}");
        assert_close(&raked.weights, &numbers(&case["converged_weights"]), 1e-6);
        let mut sums = WeightSums::default();
        for (unit, weight) in units_of(case).iter().zip(&raked.weights) {
            sums.add(unit.count, *weight);
        }
        let expected_deff = case["design_effect"].as_f64().expect("deff");
        assert!((sums.design_effect() - expected_deff).abs() < 1e-6, "{}", sums.design_effect());
    }

    #[test]
    fn three_margins_with_trimming_match_the_independent_computation() {
        let case = &fixture()["three_margins_trimmed"];
        let options =
            RakingOptions { tolerance: 1e-8, max_iterations: 500, trim: Some(TrimBounds { lower: 0.3, upper: 3.0 }) };
        let raked = rake(&units_of(case), &margins_of(case), &options);
        assert_eq!(raked.converged, case["converged"].as_bool().expect("bool"));
        assert_close(&raked.weights, &numbers(&case["weights"]), 1e-5);
        assert!(raked.weights.iter().all(|w| *w <= 3.0 + 1e-6 && *w >= 0.3 - 1e-6));
        assert!(raked.trimmed_units >= 1);
    }

    #[test]
    fn an_iteration_cap_is_reported() {
        let case = &fixture()["two_by_two"];
        let options = RakingOptions { tolerance: 1e-12, max_iterations: 3, trim: None };
        let raked = rake(&units_of(case), &margins_of(case), &options);
        assert_eq!(raked.iterations, 3);
        assert!(!raked.converged);
    }

    #[test]
    fn design_effect_effective_n_and_margin_of_error() {
        let case = &fixture()["kish"];
        let mut sums = WeightSums::default();
        for weight in numbers(&case["weights"]) {
            sums.add(1.0, weight);
        }
        assert!((sums.design_effect() - case["design_effect"].as_f64().expect("deff")).abs() < 1e-12);
        assert!((sums.effective_n() - case["effective_n"].as_f64().expect("neff")).abs() < 1e-12);
        let moe = margin_of_error(0.5, sums.n, sums.design_effect());
        assert!((moe - case["margin_of_error_p_half"].as_f64().expect("moe")).abs() < 1e-6, "{moe}");
    }

    #[test]
    fn unknown_categories_keep_their_weight_and_missing_categories_are_dropped() {
        let units = vec![
            Unit { categories: vec![Some(0)], count: 10.0 },
            Unit { categories: vec![Some(1)], count: 30.0 },
            Unit { categories: vec![None], count: 5.0 },
        ];
        // Category 2 has no respondents: its population is left out.
        let margins = vec![Margin { dimension: 0, population: vec![50.0, 50.0, 900.0] }];
        let raked = rake(&units, &margins, &RakingOptions { trim: None, ..RakingOptions::default() });
        assert!(raked.converged);
        let share_of_first = 10.0 * raked.weights[0] / (10.0 * raked.weights[0] + 30.0 * raked.weights[1]);
        assert!((share_of_first - 0.5).abs() < 1e-6);
    }
}
