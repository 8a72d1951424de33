//! Drawing members for a survey: who is eligible, all of them, a simple
//! random sample, or a stratified sample with proportional allocation, and a
//! soft-launch split into two waves.
//!
//! Everything here is pure and reproducible: the same candidates and the same
//! seed give the same members, whatever order the database returned them in.
//! The generator is ChaCha8 named explicitly (not `StdRng`, whose algorithm
//! may change between `rand` versions), so a recorded seed keeps its meaning.

use std::collections::BTreeMap;
use std::fmt;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::validation::{FieldError, Invalid};
use super::{AgeBand, Gender};

/// A dimension a sample can be stratified by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stratifier {
    /// The member's district.
    District,
    /// The member's age band.
    AgeBand,
    /// The member's gender.
    Gender,
}

impl Stratifier {
    /// Every dimension, in the order strata are named.
    pub const ALL: [Stratifier; 3] = [Stratifier::District, Stratifier::AgeBand, Stratifier::Gender];

    /// The code used in forms, the command line and the `sample.strata` column.
    pub fn code(self) -> &'static str {
        match self {
            Stratifier::District => "district",
            Stratifier::AgeBand => "age_band",
            Stratifier::Gender => "gender",
        }
    }

    /// Parse a code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// How members are chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// Every eligible member.
    All,
    /// A simple random sample of this many members.
    Simple {
        /// Requested size.
        size: usize,
    },
    /// A stratified sample of this many members, allocated to strata in
    /// proportion to their size in the eligible panel (largest remainder).
    Stratified {
        /// Requested size.
        size: usize,
        /// Dimensions, without repeats, in [`Stratifier::ALL`] order.
        by: Vec<Stratifier>,
    },
}

impl Method {
    /// The code stored in `sample.method`.
    pub fn code(&self) -> &'static str {
        match self {
            Method::All => "all",
            Method::Simple { .. } => "simple",
            Method::Stratified { .. } => "stratified",
        }
    }

    /// The strata as stored in `sample.strata` (`district,gender`; empty if none).
    pub fn strata_text(&self) -> String {
        match self {
            Method::Stratified { by, .. } => by.iter().map(|s| s.code()).collect::<Vec<_>>().join(","),
            _ => String::new(),
        }
    }

    /// The requested size (`None` for all eligible members).
    pub fn requested(&self) -> Option<usize> {
        match self {
            Method::All => None,
            Method::Simple { size } | Method::Stratified { size, .. } => Some(*size),
        }
    }
}

/// A complete, checked request for a sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleRequest {
    /// How members are chosen.
    pub method: Method,
    /// Seed of the random generator.
    pub seed: u64,
    /// Percentage (1–99) sent first as wave 1; `None` sends everyone at once.
    pub soft_launch_percent: Option<u8>,
    /// With a soft launch: hours until the rest is sent unless staff hold it.
    pub release_after_hours: u16,
}

/// Hours a soft launch waits before the rest is sent, unless staff say otherwise.
pub const DEFAULT_RELEASE_AFTER_HOURS: u16 = 24;
/// Allowed waiting times, in hours (a week at most).
pub const RELEASE_AFTER_HOURS: std::ops::RangeInclusive<u16> = 1..=168;

/// The sample form (or command line) as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SampleInput {
    /// `all`, `simple` or `stratified`.
    #[serde(default)]
    pub method: String,
    /// Sample size (for simple and stratified).
    #[serde(default)]
    pub size: String,
    /// Stratification dimensions (repeated field, or one comma list).
    #[serde(default)]
    pub strata: Vec<String>,
    /// Seed; empty for a new random one.
    #[serde(default)]
    pub seed: String,
    /// Soft-launch share in percent (`10` or `10%`); empty for none.
    #[serde(default)]
    pub soft_launch: String,
    /// Hours before the rest of a soft launch is sent; empty for the default.
    #[serde(default)]
    pub release_after: String,
}

/// Largest sample accepted in one request.
pub const MAX_SAMPLE_SIZE: usize = 1_000_000;

impl SampleInput {
    /// Check the input. `fresh_seed` is used when no seed was given.
    pub fn parse(&self, fresh_seed: u64) -> Result<SampleRequest, Invalid> {
        let mut errors = Vec::new();
        let size = || -> Option<usize> {
            match self.size.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_SAMPLE_SIZE).contains(&n) => Some(n),
                _ => None,
            }
        };
        let mut by: Vec<Stratifier> = Vec::new();
        for code in self.strata.iter().flat_map(|s| s.split(',')).map(str::trim).filter(|s| !s.is_empty()) {
            match Stratifier::parse(code) {
                Some(s) if !by.contains(&s) => by.push(s),
                Some(_) => {}
                None => errors.push(FieldError::new("strata", "invitations-error-strata").with("value", code)),
            }
        }
        by.sort();
        let method = match self.method.trim() {
            "all" => Some(Method::All),
            "simple" | "stratified" => match size() {
                None => {
                    errors.push(FieldError::new("size", "invitations-error-size").with("max", MAX_SAMPLE_SIZE));
                    None
                }
                Some(size) if self.method.trim() == "simple" => Some(Method::Simple { size }),
                Some(_) if by.is_empty() => {
                    errors.push(FieldError::new("strata", "invitations-error-strata-missing"));
                    None
                }
                Some(size) => Some(Method::Stratified { size, by }),
            },
            _ => {
                errors.push(FieldError::new("method", "invitations-error-method"));
                None
            }
        };
        let seed = match self.seed.trim() {
            "" => Some(fresh_seed),
            text => text.parse::<u64>().ok().filter(|s| i64::try_from(*s).is_ok()).or_else(|| {
                errors.push(FieldError::new("seed", "invitations-error-seed"));
                None
            }),
        };
        let soft_launch_percent = match self.soft_launch.trim().trim_end_matches('%').trim() {
            "" | "0" => Some(None),
            text => match text.parse::<u8>() {
                Ok(p) if (1..=99).contains(&p) => Some(Some(p)),
                _ => {
                    errors.push(FieldError::new("soft_launch", "invitations-error-soft-launch"));
                    None
                }
            },
        };
        let release_after_hours = match self.release_after.trim().trim_end_matches('h').trim() {
            "" => DEFAULT_RELEASE_AFTER_HOURS,
            text => match text.parse::<u16>() {
                Ok(hours) if RELEASE_AFTER_HOURS.contains(&hours) => hours,
                _ => {
                    errors.push(
                        FieldError::new("release_after", "invitations-error-release-after")
                            .with("max", *RELEASE_AFTER_HOURS.end()),
                    );
                    DEFAULT_RELEASE_AFTER_HOURS
                }
            },
        };
        Invalid::check(errors)?;
        match (method, seed, soft_launch_percent) {
            (Some(method), Some(seed), Some(soft_launch_percent)) => {
                Ok(SampleRequest { method, seed, soft_launch_percent, release_after_hours })
            }
            _ => Err(Invalid(vec![FieldError::new("method", "invitations-error-method")])),
        }
    }
}

/// A seed in the range the database stores (non-negative `i64`).
pub fn new_seed() -> u64 {
    rand::random::<u64>() >> 1
}

/// An eligible member as the sampler sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Member id.
    pub member_id: i32,
    /// District code.
    pub district: String,
    /// Age band (`None` if younger than the minimum age).
    pub age_band: Option<AgeBand>,
    /// Gender.
    pub gender: Option<Gender>,
}

impl Candidate {
    /// The value of one dimension, as shown and stored.
    pub fn value(&self, by: Stratifier) -> String {
        match by {
            Stratifier::District => self.district.clone(),
            Stratifier::AgeBand => self.age_band.map_or_else(|| "-".to_owned(), |b| b.as_str().to_owned()),
            Stratifier::Gender => self.gender.map_or_else(|| "-".to_owned(), |g| g.as_str().to_owned()),
        }
    }

    /// The stratum label, e.g. `district=nord;gender=female`.
    pub fn stratum(&self, by: &[Stratifier]) -> String {
        by.iter().map(|s| format!("{}={}", s.code(), self.value(*s))).collect::<Vec<_>>().join(";")
    }
}

/// A member chosen for the sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// Member id.
    pub member_id: i32,
    /// Stratum label, for stratified samples.
    pub stratum: Option<String>,
    /// 1 = sent at once; 2 = sent when the soft launch is released.
    pub wave: i32,
}

/// Split `total` into whole shares proportional to `sizes` (largest
/// remainder / Hamilton method). Ties in the remainder go to the larger
/// group, then to the earlier one. No share exceeds its group's size.
pub fn allocate(sizes: &[usize], total: usize) -> Vec<usize> {
    let population: usize = sizes.iter().sum();
    if population == 0 {
        return vec![0; sizes.len()];
    }
    let total = total.min(population);
    let mut shares: Vec<usize> = sizes.iter().map(|s| s * total / population).collect();
    let mut remainders: Vec<(usize, usize, usize)> =
        sizes.iter().enumerate().map(|(i, s)| ((s * total) % population, *s, i)).collect();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut left = total - shares.iter().sum::<usize>();
    for (_, size, index) in remainders {
        if left == 0 {
            break;
        }
        if shares[index] < size {
            shares[index] += 1;
            left -= 1;
        }
    }
    shares
}

/// Draw members. Candidates are put in id order first, so the database's
/// row order does not matter; the result is ordered by member id.
pub fn draw(candidates: &[Candidate], request: &SampleRequest) -> Vec<Drawn> {
    let mut rng = ChaCha8Rng::seed_from_u64(request.seed);
    let mut pool: Vec<&Candidate> = candidates.iter().collect();
    pool.sort_by_key(|c| c.member_id);
    pool.dedup_by_key(|c| c.member_id);
    let mut chosen: Vec<(i32, Option<String>)> = match &request.method {
        Method::All => pool.iter().map(|c| (c.member_id, None)).collect(),
        Method::Simple { size } => {
            pool.shuffle(&mut rng);
            pool.iter().take(*size).map(|c| (c.member_id, None)).collect()
        }
        Method::Stratified { size, by } => {
            let mut strata: BTreeMap<String, Vec<&Candidate>> = BTreeMap::new();
            for candidate in &pool {
                strata.entry(candidate.stratum(by)).or_default().push(candidate);
            }
            let sizes: Vec<usize> = strata.values().map(Vec::len).collect();
            let shares = allocate(&sizes, *size);
            let mut chosen = Vec::new();
            for ((label, members), share) in strata.iter_mut().zip(shares) {
                members.shuffle(&mut rng);
                chosen.extend(members.iter().take(share).map(|c| (c.member_id, Some(label.clone()))));
            }
            chosen
        }
    };
    chosen.sort_by_key(|(id, _)| *id);
    let first_wave = match request.soft_launch_percent {
        None => chosen.len(),
        Some(percent) => (chosen.len() * usize::from(percent)).div_ceil(100).min(chosen.len()),
    };
    let mut order: Vec<usize> = (0..chosen.len()).collect();
    order.shuffle(&mut rng);
    let mut waves = vec![2; chosen.len()];
    for index in order.into_iter().take(first_wave) {
        waves[index] = 1;
    }
    chosen.into_iter().zip(waves).map(|((member_id, stratum), wave)| Drawn { member_id, stratum, wave }).collect()
}

/// Why a member cannot be invited now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exclusion {
    /// Has not confirmed the email address.
    Pending,
    /// Consent lapsed.
    Deactivated,
    /// Paused until a date not yet passed.
    Paused,
    /// Email bounced.
    EmailInvalid,
    /// Already invited to this survey.
    AlreadyInvited,
    /// Reached the yearly cap of invitations.
    YearlyCap,
    /// Invited too recently.
    TooRecent,
}

impl Exclusion {
    /// Every reason, in the order the preview lists them.
    pub const ALL: [Exclusion; 7] = [
        Exclusion::Pending,
        Exclusion::Deactivated,
        Exclusion::Paused,
        Exclusion::EmailInvalid,
        Exclusion::AlreadyInvited,
        Exclusion::YearlyCap,
        Exclusion::TooRecent,
    ];

    /// A code for messages and output.
    pub fn code(self) -> &'static str {
        match self {
            Exclusion::Pending => "pending",
            Exclusion::Deactivated => "deactivated",
            Exclusion::Paused => "paused",
            Exclusion::EmailInvalid => "email-invalid",
            Exclusion::AlreadyInvited => "already-invited",
            Exclusion::YearlyCap => "yearly-cap",
            Exclusion::TooRecent => "too-recent",
        }
    }
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The facts about one member that decide eligibility.
#[derive(Debug, Clone)]
pub struct MemberFacts<'a> {
    /// Stored status code (`pending`, `active`, `deactivated`).
    pub status: &'a str,
    /// Paused until this day (inclusive), `YYYY-MM-DD`.
    pub paused_until: Option<&'a str>,
    /// The address bounced.
    pub email_invalid: bool,
    /// Already has an invitation to this survey.
    pub invited_to_this_survey: bool,
    /// When earlier invitations (to any survey) were created, seconds since the epoch.
    pub invited_at: &'a [i64],
}

/// The municipality's fatigue caps.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// Most invitations in any 365 days.
    pub max_per_year: i32,
    /// Fewest days between two invitations.
    pub min_days_between: i32,
}

const DAY: i64 = 24 * 3600;

/// Why this member cannot be invited now (`None`: eligible). A member at the
/// yearly cap already has `max_per_year` invitations in the last 365 days,
/// so one more would exceed it.
pub fn exclusion(member: &MemberFacts<'_>, today: &str, now: i64, caps: Caps) -> Option<Exclusion> {
    match member.status {
        "pending" => return Some(Exclusion::Pending),
        "active" => {}
        _ => return Some(Exclusion::Deactivated),
    }
    if member.paused_until.is_some_and(|until| until >= today) {
        return Some(Exclusion::Paused);
    }
    if member.email_invalid {
        return Some(Exclusion::EmailInvalid);
    }
    if member.invited_to_this_survey {
        return Some(Exclusion::AlreadyInvited);
    }
    let last_year = member.invited_at.iter().filter(|at| **at > now - 365 * DAY).count();
    if i64::try_from(last_year).unwrap_or(i64::MAX) >= i64::from(caps.max_per_year) {
        return Some(Exclusion::YearlyCap);
    }
    let gap = i64::from(caps.min_days_between) * DAY;
    if member.invited_at.iter().any(|at| *at > now - gap) {
        return Some(Exclusion::TooRecent);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates(n: i32) -> Vec<Candidate> {
        (1..=n)
            .map(|id| Candidate {
                member_id: id,
                district: if id % 4 == 0 { "nord".into() } else { "sentrum".into() },
                age_band: Some(if id % 2 == 0 { AgeBand::From25To34 } else { AgeBand::From67To79 }),
                gender: Some(if id % 3 == 0 { Gender::Male } else { Gender::Female }),
            })
            .collect()
    }

    fn request(method: Method, seed: u64) -> SampleRequest {
        SampleRequest { method, seed, soft_launch_percent: None, release_after_hours: DEFAULT_RELEASE_AFTER_HOURS }
    }

    #[test]
    fn largest_remainder_allocation() {
        assert_eq!(allocate(&[50, 30, 20], 10), vec![5, 3, 2]);
        // 7 × (5, 3, 2)/10 = 3.5, 2.1, 1.4 → 3, 2, 1 + one for the largest remainder (3.5).
        assert_eq!(allocate(&[5, 3, 2], 7), vec![4, 2, 1]);
        assert_eq!(allocate(&[1, 1, 1], 2), vec![1, 1, 0]);
        assert_eq!(allocate(&[3, 0, 2], 10), vec![3, 0, 2], "never more than a group holds");
        assert_eq!(allocate(&[], 5), Vec::<usize>::new());
        let shares = allocate(&[333, 333, 334], 100);
        assert_eq!(shares.iter().sum::<usize>(), 100);
        assert_eq!(shares, vec![33, 33, 34]);
    }

    #[test]
    fn a_seed_reproduces_the_sample_whatever_the_input_order() {
        let pool = candidates(200);
        let mut reversed = pool.clone();
        reversed.reverse();
        let first = draw(&pool, &request(Method::Simple { size: 20 }, 42));
        let again = draw(&reversed, &request(Method::Simple { size: 20 }, 42));
        let other = draw(&pool, &request(Method::Simple { size: 20 }, 43));
        assert_eq!(first.len(), 20);
        assert_eq!(first, again);
        assert_ne!(first, other);
    }

    #[test]
    fn the_generator_is_stable_across_versions() {
        // ChaCha8 is specified; if these change, recorded seeds lose their meaning.
        let drawn: Vec<i32> =
            draw(&candidates(10), &request(Method::Simple { size: 3 }, 7)).iter().map(|d| d.member_id).collect();
        assert_eq!(drawn, vec![1, 6, 8]);
    }

    #[test]
    fn stratified_samples_are_proportional() {
        let pool = candidates(400); // district: 100 nord, 300 sentrum
        let drawn = draw(&pool, &request(Method::Stratified { size: 40, by: vec![Stratifier::District] }, 1));
        assert_eq!(drawn.len(), 40);
        let nord = drawn.iter().filter(|d| d.stratum.as_deref() == Some("district=nord")).count();
        assert_eq!(nord, 10);
        assert_eq!(drawn.iter().filter(|d| d.stratum.as_deref() == Some("district=sentrum")).count(), 30);
        for d in &drawn {
            let member = &pool[(d.member_id - 1) as usize];
            assert_eq!(d.stratum.as_deref(), Some(member.stratum(&[Stratifier::District]).as_str()));
        }
    }

    #[test]
    fn all_and_oversized_samples_take_everyone_once() {
        let pool = candidates(15);
        assert_eq!(draw(&pool, &request(Method::All, 1)).len(), 15);
        assert_eq!(draw(&pool, &request(Method::Simple { size: 100 }, 1)).len(), 15);
        let stratified = Method::Stratified { size: 100, by: vec![Stratifier::Gender, Stratifier::AgeBand] };
        assert_eq!(draw(&pool, &request(stratified, 1)).len(), 15);
    }

    #[test]
    fn soft_launch_puts_a_share_in_wave_one() {
        let pool = candidates(100);
        let mut req = request(Method::Simple { size: 50 }, 9);
        req.soft_launch_percent = Some(10);
        let drawn = draw(&pool, &req);
        assert_eq!(drawn.iter().filter(|d| d.wave == 1).count(), 5);
        assert_eq!(drawn.iter().filter(|d| d.wave == 2).count(), 45);
        req.soft_launch_percent = Some(1);
        let tiny = draw(&candidates(3), &req);
        assert_eq!(tiny.iter().filter(|d| d.wave == 1).count(), 1, "rounds up: at least one goes first");
    }

    #[test]
    fn input_is_parsed_with_every_problem_named() {
        let input = SampleInput {
            method: "stratified".into(),
            size: "0".into(),
            strata: vec!["district,shoe_size".into()],
            seed: "-3".into(),
            soft_launch: "150%".into(),
            release_after: "0".into(),
        };
        let errors = input.parse(5).expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["strata", "size", "seed", "soft_launch", "release_after"]);

        let ok = SampleInput {
            method: "stratified".into(),
            size: "20".into(),
            strata: vec!["gender".into(), "district".into()],
            seed: String::new(),
            soft_launch: "10%".into(),
            release_after: "48h".into(),
        }
        .parse(77)
        .expect("valid");
        assert_eq!(ok.seed, 77);
        assert_eq!(ok.soft_launch_percent, Some(10));
        assert_eq!(ok.release_after_hours, 48);
        let default = SampleInput { method: "all".into(), ..Default::default() }.parse(1).expect("valid");
        assert_eq!(default.release_after_hours, DEFAULT_RELEASE_AFTER_HOURS);
        assert_eq!(ok.method.strata_text(), "district,gender");
        let missing = SampleInput { method: "stratified".into(), size: "5".into(), ..Default::default() };
        assert_eq!(missing.parse(1).expect_err("no strata").0[0].message, "invitations-error-strata-missing");
    }

    #[test]
    fn eligibility_rules() {
        let now = 1_800_000_000;
        let caps = Caps { max_per_year: 2, min_days_between: 30 };
        let base = MemberFacts {
            status: "active",
            paused_until: None,
            email_invalid: false,
            invited_to_this_survey: false,
            invited_at: &[],
        };
        let today = "2027-01-15";
        assert_eq!(exclusion(&base, today, now, caps), None);
        assert_eq!(
            exclusion(&MemberFacts { status: "pending", ..base.clone() }, today, now, caps),
            Some(Exclusion::Pending)
        );
        assert_eq!(
            exclusion(&MemberFacts { status: "deactivated", ..base.clone() }, today, now, caps),
            Some(Exclusion::Deactivated)
        );
        let paused = MemberFacts { paused_until: Some("2027-01-15"), ..base.clone() };
        assert_eq!(exclusion(&paused, today, now, caps), Some(Exclusion::Paused), "paused through the day itself");
        let pause_over = MemberFacts { paused_until: Some("2027-01-14"), ..base.clone() };
        assert_eq!(exclusion(&pause_over, today, now, caps), None);
        let bounced = MemberFacts { email_invalid: true, ..base.clone() };
        assert_eq!(exclusion(&bounced, today, now, caps), Some(Exclusion::EmailInvalid));
        let invited = MemberFacts { invited_to_this_survey: true, ..base.clone() };
        assert_eq!(exclusion(&invited, today, now, caps), Some(Exclusion::AlreadyInvited));
        let two = [now - 200 * DAY, now - 100 * DAY];
        assert_eq!(
            exclusion(&MemberFacts { invited_at: &two, ..base.clone() }, today, now, caps),
            Some(Exclusion::YearlyCap)
        );
        let old = [now - 400 * DAY, now - 100 * DAY];
        assert_eq!(exclusion(&MemberFacts { invited_at: &old, ..base.clone() }, today, now, caps), None);
        let recent = [now - 10 * DAY];
        assert_eq!(
            exclusion(&MemberFacts { invited_at: &recent, ..base }, today, now, caps),
            Some(Exclusion::TooRecent)
        );
    }
}
