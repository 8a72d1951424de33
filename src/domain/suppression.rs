//! Small-cell suppression: groups with fewer respondents than the
//! municipality's threshold are hidden, and enough other groups with them
//! that the hidden ones cannot be recovered by subtracting the shown groups
//! from the total.

/// Which groups of one breakdown to hide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Per group, in the order given: whether it is hidden.
    pub hidden: Vec<bool>,
    /// Whether the breakdown's total must be hidden too.
    pub total_hidden: bool,
}

impl Suppression {
    /// Whether group `index` may be shown.
    pub fn shows(&self, index: usize) -> bool {
        !self.hidden.get(index).copied().unwrap_or(true)
    }
}

/// Whether a figure based on `n` respondents may be shown at all.
pub fn visible(n: u64, threshold: u64) -> bool {
    n >= threshold
}

/// Decide which groups to hide, given each group's respondents.
///
/// 1. Every group with 0 < n < threshold is hidden (primary suppression).
/// 2. If any group is hidden, more are hidden, smallest first, until at
///    least two are hidden and the hidden groups together hold at least
///    `threshold` respondents (complementary suppression). Then the total
///    minus the shown groups gives only a sum of several groups that is
///    itself not small.
/// 3. If that is impossible, or the total itself is below the threshold,
///    the total is hidden as well.
///
/// Empty groups (n = 0) reveal nobody and stay shown.
pub fn suppress(counts: &[u64], threshold: u64) -> Suppression {
    let mut hidden: Vec<bool> = counts.iter().map(|n| *n > 0 && *n < threshold).collect();
    let total: u64 = counts.iter().sum();
    let hidden_sum = |hidden: &[bool]| counts.iter().zip(hidden).filter(|(_, h)| **h).map(|(n, _)| *n).sum::<u64>();
    let hidden_count = |hidden: &[bool]| hidden.iter().filter(|h| **h).count();
    if hidden.iter().any(|h| *h) {
        while hidden_count(&hidden) < 2 || hidden_sum(&hidden) < threshold {
            let next = counts
                .iter()
                .enumerate()
                .filter(|(i, n)| **n > 0 && !hidden[*i])
                .min_by_key(|(i, n)| (**n, *i))
                .map(|(i, _)| i);
            match next {
                Some(i) => hidden[i] = true,
                None => break,
            }
        }
    }
    let safe = hidden_count(&hidden) == 0 || (hidden_count(&hidden) >= 2 && hidden_sum(&hidden) >= threshold);
    Suppression { hidden, total_hidden: !safe || total < threshold }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether any hidden group's count can be derived from the shown
    /// groups and (if shown) the total.
    fn recoverable(counts: &[u64], s: &Suppression, threshold: u64) -> bool {
        let hidden: Vec<u64> = counts.iter().zip(&s.hidden).filter(|(_, h)| **h).map(|(n, _)| *n).collect();
        if s.total_hidden {
            return false;
        }
        hidden.len() == 1 || (!hidden.is_empty() && hidden.iter().sum::<u64>() < threshold)
    }

    #[test]
    fn large_groups_are_all_shown() {
        let s = suppress(&[10, 20, 5], 5);
        assert_eq!(s.hidden, vec![false, false, false]);
        assert!(!s.total_hidden);
    }

    #[test]
    fn a_small_group_takes_the_next_smallest_with_it() {
        let s = suppress(&[40, 3, 12, 9], 5);
        assert_eq!(s.hidden, vec![false, true, false, true]);
        assert!(!s.total_hidden);
        assert!(!recoverable(&[40, 3, 12, 9], &s, 5));
    }

    #[test]
    fn two_small_groups_whose_sum_is_small_take_a_third() {
        let counts = [50, 1, 2, 30];
        let s = suppress(&counts, 5);
        assert_eq!(s.hidden, vec![false, true, true, true]);
        assert!(!recoverable(&counts, &s, 5));
    }

    #[test]
    fn empty_groups_stay_and_do_not_count_as_complements() {
        let s = suppress(&[0, 4, 20, 7], 5);
        assert_eq!(s.hidden, vec![false, true, false, true]);
    }

    #[test]
    fn when_nothing_can_complement_the_total_is_hidden() {
        let s = suppress(&[3, 0], 5);
        assert_eq!(s.hidden, vec![true, false]);
        assert!(s.total_hidden);
        let s = suppress(&[2, 2], 5);
        assert!(s.total_hidden);
    }

    #[test]
    fn no_small_group_is_ever_recoverable() {
        // Every breakdown of up to four groups with counts 0..=12.
        for a in 0..=12u64 {
            for b in 0..=12u64 {
                for c in 0..=12u64 {
                    for d in [0u64, 1, 4, 6, 30] {
                        let counts = [a, b, c, d];
                        let s = suppress(&counts, 5);
                        for (n, hidden) in counts.iter().zip(&s.hidden) {
                            assert!(*n == 0 || *n >= 5 || *hidden, "{counts:?}");
                        }
                        assert!(!recoverable(&counts, &s, 5), "{counts:?} {s:?}");
                    }
                }
            }
        }
    }
}
