//! Small-cell suppression: groups with fewer respondents than the
//! municipality's threshold are hidden, and enough other groups with them
//! that the hidden ones cannot be recovered by subtracting the shown groups
//! from the total — within one table ([`suppress`]) and across all the
//! tables of a survey that share a breakdown ([`suppress_shared`]).

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

/// One hidden set of groups shared by several tables with the same groups:
/// the survey's respondents and every question broken down the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedSuppression {
    /// Per group, in the order given: whether it is hidden in every table.
    pub hidden: Vec<bool>,
    /// Per table, in the order given: whether the table's total is below
    /// the threshold, so that nothing of it is shown.
    pub total_hidden: Vec<bool>,
}

impl SharedSuppression {
    /// Whether group `group` of table `table` may be shown.
    pub fn shows(&self, table: usize, group: usize) -> bool {
        !self.total_hidden.get(table).copied().unwrap_or(true) && !self.hidden.get(group).copied().unwrap_or(true)
    }
}

/// Whether what subtracting the shown groups from a table's total leaves
/// over is harmless: nothing, at least two groups that together hold at
/// least `threshold`, or a single group that is itself not small.
fn remainder_is_safe(table: &[u64], hidden: &[bool], threshold: u64) -> bool {
    let (count, sum) = table
        .iter()
        .zip(hidden)
        .filter(|(n, h)| **h && **n > 0)
        .fold((0usize, 0u64), |(count, sum), (n, _)| (count + 1, sum + n));
    count == 0 || sum >= threshold
}

/// Decide one set of hidden groups for several tables that share their
/// groups (`tables[t][g]`: respondents of group `g` in table `t`).
///
/// Differencing across tables is prevented by hiding the *same* groups in
/// every table: then every table shows the same groups, and subtracting
/// shown figures from totals — within a table or across tables — only ever
/// yields sums over the whole hidden set.
///
/// 1. Tables whose total is below the threshold are hidden entirely and
///    take no further part.
/// 2. Every group that is small (0 < n < threshold) in any remaining table
///    is hidden (primary suppression, folded into one set).
/// 3. While a remaining table's hidden groups together hold fewer than the
///    threshold (but more than nobody), that table's smallest shown
///    non-empty group is hidden too, for every table (complementary
///    suppression), until every table is safe.
///
/// The set only grows, so this ends; a table with a total of at least the
/// threshold can always be made safe (at worst all its non-empty groups are
/// hidden and their sum is its total).
pub fn suppress_shared(tables: &[Vec<u64>], threshold: u64) -> SharedSuppression {
    let groups = tables.iter().map(Vec::len).max().unwrap_or(0);
    let total_hidden: Vec<bool> = tables.iter().map(|t| !visible(t.iter().sum(), threshold)).collect();
    let mut hidden = vec![false; groups];
    let live = || tables.iter().zip(&total_hidden).filter(|(_, h)| !**h).map(|(t, _)| t);
    for table in live() {
        for (slot, n) in hidden.iter_mut().zip(table) {
            *slot |= *n > 0 && *n < threshold;
        }
    }
    loop {
        let mut changed = false;
        for table in live() {
            while !remainder_is_safe(table, &hidden, threshold) {
                let next = table
                    .iter()
                    .enumerate()
                    .filter(|(g, n)| **n > 0 && !hidden[*g])
                    .min_by_key(|(g, n)| (**n, *g))
                    .map(|(g, _)| g);
                match next {
                    Some(g) => {
                        hidden[g] = true;
                        changed = true;
                    }
                    // Unreachable for a table whose total is visible; kept
                    // so a malformed input cannot loop forever.
                    None => break,
                }
            }
        }
        if !changed {
            break;
        }
    }
    SharedSuppression { hidden, total_hidden }
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

    #[test]
    fn one_hidden_set_stops_differencing_across_questions() {
        // Groups sentrum, nord, sør. Everyone answered the first question;
        // six in sentrum skipped the second. Suppressed one question at a
        // time, the first hides {nord, sør} and the second {sentrum, nord},
        // so the second shows sør (6) and the first's nord follows from
        // 19 − 10 − 6 = 3.
        let base = vec![10, 3, 6];
        let first = vec![10, 3, 6];
        let second = vec![4, 3, 6];
        assert_eq!(suppress(&first, 5).hidden, vec![false, true, true]);
        assert_eq!(suppress(&second, 5).hidden, vec![true, true, false]);
        let shared = suppress_shared(&[base, first, second], 5);
        assert_eq!(shared.hidden, vec![true, true, false], "sentrum and nord in every table");
        assert_eq!(shared.total_hidden, vec![false, false, false]);
    }

    #[test]
    fn a_table_below_the_threshold_is_hidden_and_widens_nothing() {
        let shared = suppress_shared(&[vec![20, 20, 20], vec![2, 1, 0]], 5);
        assert_eq!(shared.hidden, vec![false, false, false]);
        assert_eq!(shared.total_hidden, vec![false, true]);
        assert!(shared.shows(0, 1) && !shared.shows(1, 1));
    }

    #[test]
    fn a_group_hidden_elsewhere_but_large_here_needs_no_partner() {
        // Only nord answered the second question: its total is nord, which is
        // hidden because of the first question, but 12 respondents are not small.
        let shared = suppress_shared(&[vec![30, 3, 2, 40], vec![0, 0, 12, 0]], 5);
        assert_eq!(shared.hidden, vec![false, true, true, false]);
        assert_eq!(shared.total_hidden, vec![false, false]);
    }

    #[test]
    fn shared_suppression_leaves_no_small_cell_recoverable() {
        // A survey base over three groups and two questions each answered by
        // the base minus a few who skipped it.
        let values = [0u64, 1, 3, 4, 5, 7, 12];
        let skips = [0u64, 1, 2, 6];
        for a in values {
            for b in values {
                for c in values {
                    let base = vec![a, b, c];
                    for s1 in skips {
                        for s2 in skips {
                            let first: Vec<u64> = base
                                .iter()
                                .enumerate()
                                .map(|(g, n)| n.saturating_sub(if g == 0 { s1 } else { 0 }))
                                .collect();
                            let second: Vec<u64> = base
                                .iter()
                                .enumerate()
                                .map(|(g, n)| n.saturating_sub(if g == 2 { s2 } else { s1 / 2 }))
                                .collect();
                            let tables = vec![base.clone(), first, second];
                            let shared = suppress_shared(&tables, 5);
                            for (t, table) in tables.iter().enumerate() {
                                if shared.total_hidden[t] {
                                    assert!(table.iter().sum::<u64>() < 5);
                                    continue;
                                }
                                for (g, n) in table.iter().enumerate() {
                                    assert!(*n == 0 || *n >= 5 || !shared.shows(t, g), "{tables:?} {shared:?}");
                                }
                                // What subtraction leaves over in this table is
                                // nothing, or not small.
                                let remainder: u64 =
                                    table.iter().zip(&shared.hidden).filter(|(_, h)| **h).map(|(n, _)| *n).sum();
                                assert!(remainder == 0 || remainder >= 5, "{tables:?} {shared:?}");
                            }
                            // Every visible table shows exactly the same groups, so
                            // no table's shown figures fill in another's hidden ones.
                            let shown: Vec<Vec<bool>> = (0..tables.len())
                                .filter(|t| !shared.total_hidden[*t])
                                .map(|t| (0..3).map(|g| shared.shows(t, g)).collect())
                                .collect();
                            assert!(shown.windows(2).all(|w| w[0] == w[1]), "{tables:?} {shared:?}");
                        }
                    }
                }
            }
        }
    }
}
