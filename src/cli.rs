//! The `radslag` command line.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use sea_orm::DatabaseConnection;

use crate::config::{Config, ProcessEnv};
use crate::domain::compass::Framework;
use crate::domain::municipality::{Settings, SettingsInput, parse_districts};
use crate::domain::sampling::{self, SampleInput};
use crate::domain::validation::Invalid;
use crate::domain::{Email, Language, NewPassword, Role, Slug};
use crate::i18n::field_error;
use crate::services::audit::Actor;
use crate::services::invitations::{self, InviteError};
use crate::services::municipalities::{self, ChangeError};
use crate::services::staff::{self, CreateUserError};
use crate::services::tenant::Municipality;
use crate::startup::Application;

/// Rådslag runs a municipality's citizen panel: residents join, staff build
/// surveys, the service invites members by email, and results are published.
///
/// Settings come from radslag.toml (or the file named by --config) and from
/// RADSLAG_* environment variables, which win. See README.md.
#[derive(Debug, Parser)]
#[command(name = "radslag", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (default: radslag.toml if it exists).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (applies database migrations first).
    Serve,
    /// Try Rådslag: a demo municipality in ./data/demo.db, mail written to
    /// ./data/outbox, served on http://127.0.0.1:8080.
    Demo,
    /// Apply database migrations and stop.
    Migrate,
    /// Run background work (email sending, clean-up) without the web server.
    Worker,
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the municipalities this installation serves.
    #[command(subcommand)]
    Municipality(MunicipalityCommand),
    /// Export and import surveys in the native file format (docs/survey-format.md).
    #[command(subcommand)]
    Survey(SurveyCommand),
    /// Compass frameworks.
    #[command(subcommand)]
    Compass(CompassCommand),
    /// Invite panel members to an open survey: prints the sample's
    /// composition and what was queued.
    Invite(InviteArgs),
    /// Mark a member's email address as bouncing, so samples leave it out.
    Bounce {
        /// The member's email address.
        email: String,
        #[command(flatten)]
        municipality: MunicipalityArg,
    },
    /// Manage panel members.
    #[command(subcommand)]
    Panel(PanelCommand),
    /// Export results and import population margins.
    #[command(subcommand)]
    Results(ResultsCommand),
}

#[derive(Debug, Subcommand)]
enum ResultsCommand {
    /// Write a survey's aggregated results (after small-cell suppression) to
    /// standard output, row by row.
    Export {
        /// The survey's id.
        survey_id: i32,
        /// csv or json (one JSON object per line).
        #[arg(long, default_value = "csv")]
        format: String,
        /// Breakdown: district, age_band, gender, source_group, channel or question:KEY.
        #[arg(long, default_value = "")]
        breakdown: String,
        /// Margins to weight to, e.g. age_band,gender,district (default all; `none` for unweighted).
        #[arg(long)]
        weight: Option<String>,
        /// Only answers from one channel: panel, open or paper (default all).
        #[arg(long)]
        channel: Option<String>,
        #[command(flatten)]
        municipality: MunicipalityArg,
    },
    /// Replace the population margins with a JSON-stat 2.0 file (SSB, SCB).
    ImportMargins {
        /// The JSON-stat file.
        file: PathBuf,
        /// File with one `region;district` per line (default: region code = district code).
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        #[command(flatten)]
        municipality: MunicipalityArg,
    },
}

#[derive(Debug, Subcommand)]
enum CompassCommand {
    /// Check a compass framework file (the format of docs/compass.md) and
    /// print its areas and maxima, or the first problem with its JSON path.
    CheckFramework {
        /// The JSON file.
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
struct InviteArgs {
    /// The survey's id.
    survey_id: i32,
    #[command(flatten)]
    municipality: MunicipalityArg,
    /// Draw a random sample of N members.
    #[arg(long, value_name = "N", conflicts_with = "all", required_unless_present = "all")]
    sample: Option<String>,
    /// Invite every eligible member.
    #[arg(long)]
    all: bool,
    /// Stratify the sample, e.g. district,age_band,gender.
    #[arg(long, value_name = "LIST", requires = "sample")]
    stratify: Option<String>,
    /// Seed of the draw (default: a new random one, printed).
    #[arg(long)]
    seed: Option<String>,
    /// Send this share first and the rest on release, e.g. 10%.
    #[arg(long, value_name = "PERCENT")]
    soft_launch: Option<String>,
    /// With a soft launch: send the rest after this many hours unless held (default 24).
    #[arg(long, value_name = "HOURS", requires = "soft_launch")]
    release_after: Option<String>,
    /// Show the sample without sending anything.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Debug, Subcommand)]
enum PanelCommand {
    /// Import members from a CSV file with the columns
    /// email,birth_year,gender,district,language,source (and optionally
    /// mobile,campaign,education). Every row is checked; with any problem
    /// nothing is imported, unless --skip-invalid. Imported members get an
    /// email asking them to confirm.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Import the valid rows even if others have problems.
        #[arg(long)]
        skip_invalid: bool,
        /// Write the rows that were not imported, with the reasons, to this CSV file.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        #[command(flatten)]
        municipality: MunicipalityArg,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a staff account. Asks for the password, or reads one line from
    /// standard input when it is not a terminal.
    Add {
        /// Sign-in email address.
        #[arg(long)]
        email: String,
        /// admin, editor, analyst, viewer — or operator for a host operator.
        #[arg(long)]
        role: String,
        /// Name shown to colleagues (default: the email address).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        municipality: MunicipalityArg,
    },
    /// Set a new password for an account (also unlocks it).
    Password {
        /// Sign-in email address.
        #[arg(long)]
        email: String,
        /// The account is a host operator's.
        #[arg(long)]
        operator: bool,
        #[command(flatten)]
        municipality: MunicipalityArg,
    },
    /// List a municipality's staff accounts.
    List {
        #[command(flatten)]
        municipality: MunicipalityArg,
    },
}

#[derive(Debug, Args)]
struct MunicipalityArg {
    /// The municipality's short name (default: the only one, or
    /// default_municipality from the configuration).
    #[arg(long, value_name = "SLUG")]
    municipality: Option<String>,
}

#[derive(Debug, Subcommand)]
enum MunicipalityCommand {
    /// List municipalities with their host names.
    List,
    /// Add a municipality.
    Add {
        /// Short name used in commands, e.g. fjordvik.
        #[arg(long)]
        slug: String,
        /// Display name, e.g. "Fjordvik kommune".
        #[arg(long)]
        name: String,
        /// Host names residents use, e.g. panel.fjordvik.no (repeat or separate by commas).
        #[arg(long = "host", value_delimiter = ',', required = true)]
        hosts: Vec<String>,
        /// Default language: nb, nn, sv or en.
        #[arg(long, default_value = "nb")]
        language: String,
    },
    /// Change a municipality's settings; only the options given change.
    Set(SetArgs),
}

#[derive(Debug, Args)]
struct SetArgs {
    /// The municipality's short name.
    slug: String,
    /// Display name.
    #[arg(long)]
    name: Option<String>,
    /// Enabled languages, e.g. nb,nn,en.
    #[arg(long)]
    languages: Option<String>,
    /// Default language (must be enabled).
    #[arg(long)]
    default_language: Option<String>,
    /// Compass framework: ks-2016, skr-2020 or the key of one the municipality imported.
    #[arg(long)]
    framework: Option<String>,
    /// Most invitations per member per 12 months.
    #[arg(long)]
    max_invitations: Option<String>,
    /// Fewest days between two invitations to a member.
    #[arg(long)]
    min_days: Option<String>,
    /// Smallest group shown in results.
    #[arg(long)]
    suppression: Option<String>,
    /// Years before members renew consent.
    #[arg(long)]
    consent_years: Option<String>,
    /// Host names, replacing the current ones (comma-separated).
    #[arg(long)]
    hosts: Option<String>,
    /// File with one district per line as `code;name`, replacing the current ones.
    #[arg(long, value_name = "FILE")]
    districts_file: Option<PathBuf>,
    /// CSV with columns district,age_band,gender,population, replacing the margins.
    #[arg(long, value_name = "FILE")]
    margins_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum SurveyCommand {
    /// Print a survey as a survey file to standard output.
    Export {
        /// The survey's number.
        id: i32,
        #[command(flatten)]
        municipality: MunicipalityArg,
    },
    /// Create a draft from a survey file; nothing is written if the file is invalid.
    Import {
        /// The survey file (JSON).
        file: PathBuf,
        #[command(flatten)]
        municipality: MunicipalityArg,
    },
}

/// Parse the command line and run it; prints errors as one line.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", one_line(&error));
            ExitCode::FAILURE
        }
    }
}

fn one_line(error: &anyhow::Error) -> String {
    error.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ").replace('\n', " ")
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Demo = cli.command {
        return run_demo().await;
    }
    if let Command::Compass(command) = &cli.command {
        return compass_command(command);
    }
    let config = Config::load(cli.config.as_deref(), &ProcessEnv)?;
    match cli.command {
        Command::Serve => {
            let app = Application::build(config).await?;
            tracing::info!(address = %app.local_addr()?, "serving");
            app.run_until_stopped().await
        }
        Command::Migrate => {
            let db = crate::db::connect(&config).await.context("cannot open the database")?;
            crate::db::migrate(&db).await.context("migration failed")?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Worker => {
            let db = open(&config).await?;
            tracing::info!("worker running");
            tokio::select! {
                () = crate::worker::run(db, config.clone()) => Ok(()),
                () = crate::startup::shutdown_signal() => Ok(()),
            }
        }
        Command::User(command) => user_command(&config, command).await,
        Command::Municipality(command) => municipality_command(&config, command).await,
        Command::Survey(command) => survey_command(&config, command).await,
        Command::Invite(args) => invite(&config, args).await,
        Command::Bounce { email, municipality } => {
            let db = open(&config).await?;
            let municipality = pick_municipality(&db, &config, &municipality).await?;
            let email = Email::parse(&email).map_err(|e| anyhow!("EMAIL: {e}"))?;
            if !invitations::mark_bouncing(&db, &municipality, &email, Actor::CommandLine).await? {
                bail!("no member of {} has that address", municipality.name);
            }
            println!("Marked as bouncing; the member is left out of new samples.");
            Ok(())
        }
        Command::Panel(command) => panel_command(&config, command).await,
        Command::Results(command) => results_command(&config, command).await,
        Command::Demo | Command::Compass(_) => Ok(()),
    }
}

async fn open(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let db = crate::db::connect(config).await.context("cannot open the database")?;
    crate::db::migrate(&db).await.context("cannot apply database migrations")?;
    Ok(db)
}

async fn run_demo() -> anyhow::Result<()> {
    let config = crate::demo::config()?;
    let app = Application::build(config).await?;
    let accounts = crate::demo::seed(&app.state().db, &app.state().config.base_url).await?;
    let address = app.local_addr()?;
    println!("Rådslag demo is running at {}", app.state().config.base_url);
    println!("  Fjordvik kommune:  http://127.0.0.1:{}/  (staff: /staff)", address.port());
    println!("  Lilleviks kommun:  http://lillevik.localhost:{}/", address.port());
    println!("  Emails are written to ./{}/outbox", crate::demo::DATA_DIR);
    if accounts.is_empty() {
        println!("  Staff accounts exist already; set a new password with");
        println!("  `radslag user password --email admin@fjordvik.example --municipality fjordvik`");
        println!("  (with RADSLAG_DATABASE_URL=sqlite://data/demo.db).");
    } else {
        println!("  Staff accounts (passwords are shown only this once):");
        for account in &accounts {
            println!("    {:<28} {:<9} {:<20} {}", account.email, account.role, account.password, account.municipality);
        }
    }
    app.run_until_stopped().await
}

async fn pick_municipality(
    db: &DatabaseConnection,
    config: &Config,
    arg: &MunicipalityArg,
) -> anyhow::Result<Municipality> {
    let all = municipalities::list(db).await?;
    let wanted = arg.municipality.clone().or_else(|| config.default_municipality.clone());
    match wanted {
        Some(slug) => all
            .into_iter()
            .find(|m| m.slug.as_str() == slug)
            .ok_or_else(|| anyhow!("no municipality `{slug}`; see `radslag municipality list`")),
        None if all.len() == 1 => all.into_iter().next().ok_or_else(|| anyhow!("no municipality")),
        None if all.is_empty() => bail!("no municipality yet; add one with `radslag municipality add`"),
        None => bail!("several municipalities; name one with --municipality SLUG"),
    }
}

fn read_password() -> anyhow::Result<NewPassword> {
    let text = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ")?;
        let second = rpassword::prompt_password("Repeat it: ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    };
    Ok(NewPassword::parse(&text)?)
}

async fn user_command(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let db = open(config).await?;
    match command {
        UserCommand::Add { email, role, name, municipality } => {
            let email = Email::parse(&email).map_err(|e| anyhow!("--email: {e}"))?;
            let role: Role = role.parse().map_err(|e| anyhow!("--role: {e}"))?;
            let scope =
                if role == Role::Operator { None } else { Some(pick_municipality(&db, config, &municipality).await?) };
            let password = read_password()?;
            let display = name.unwrap_or_else(|| email.as_str().to_owned());
            match staff::create_user(&db, scope.as_ref(), &email, &display, role, &password, Actor::CommandLine).await {
                Ok(user) => {
                    let place = scope.map_or_else(|| "the host".to_owned(), |m| m.name);
                    println!("Created {} account {} for {place}.", user.role, user.email);
                    Ok(())
                }
                Err(CreateUserError::Duplicate) => {
                    bail!("an account with that email exists already; use `radslag user password`")
                }
                Err(error) => Err(error.into()),
            }
        }
        UserCommand::Password { email, operator, municipality } => {
            let scope = if operator { None } else { Some(pick_municipality(&db, config, &municipality).await?.id) };
            let normalised = Email::parse(&email).map_err(|e| anyhow!("--email: {e}"))?;
            let account = staff::find_account(&db, scope, normalised.as_str())
                .await?
                .ok_or_else(|| anyhow!("no account with that email there"))?;
            let password = read_password()?;
            staff::set_password(&db, account.id, &password, Actor::CommandLine).await?;
            println!("Password changed; the account is unlocked.");
            Ok(())
        }
        UserCommand::List { municipality } => {
            let municipality = pick_municipality(&db, config, &municipality).await?;
            let mut out = std::io::stdout().lock();
            for user in staff::list_staff(&db, &municipality).await? {
                writeln!(out, "{:<8} {:<40} {}", user.role, user.email, user.display_name)?;
            }
            Ok(())
        }
    }
}

/// English explanation of validation problems, for the terminal.
async fn results_command(config: &Config, command: ResultsCommand) -> anyhow::Result<()> {
    use crate::services::results::{self, Breakdown, ExportRow, ResultsRequest, WeightingChoice};
    let db = open(config).await?;
    match command {
        ResultsCommand::Export { survey_id, format, breakdown, weight, channel, municipality } => {
            let channel = match channel.as_deref() {
                None => None,
                Some(code) => Some(
                    results::Channel::parse(code)
                        .ok_or_else(|| anyhow!("--channel: use panel, open or paper, not {code:?}"))?,
                ),
            };
            let municipality = pick_municipality(&db, config, &municipality).await?;
            let survey = results::survey_with_results(&db, &municipality, survey_id)
                .await?
                .ok_or_else(|| anyhow!("no survey {survey_id} with results in {}", municipality.slug.as_str()))?;
            let request = ResultsRequest {
                breakdown: Breakdown::parse(&breakdown, &survey),
                weighting: WeightingChoice::parse(weight.as_deref()),
                channel,
            };
            let computed = results::compute(&db, &municipality, &survey, &request).await?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match format.as_str() {
                "csv" => {
                    out.write_all(ExportRow::HEADER.as_bytes())?;
                    for row in results::export_rows(&computed) {
                        out.write_all(row.csv_line().as_bytes())?;
                    }
                }
                "json" => {
                    for row in results::export_rows(&computed) {
                        serde_json::to_writer(&mut out, &row)?;
                        out.write_all(b"\n")?;
                    }
                }
                other => bail!("unknown format `{other}`; use csv or json"),
            }
            out.flush()?;
            Ok(())
        }
        ResultsCommand::ImportMargins { file, mapping, municipality } => {
            let municipality = pick_municipality(&db, config, &municipality).await?;
            let data = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let mapping = match mapping {
                Some(path) => {
                    std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?
                }
                None => String::new(),
            };
            match results::import_margins_jsonstat(&db, &municipality, &data, &mapping, Actor::CommandLine).await {
                Ok(done) => {
                    println!("Stored {} population cells for {}.", done.cells, municipality.slug.as_str());
                    if !done.skipped_regions.is_empty() {
                        println!("Left out regions without a district: {}", done.skipped_regions.join(", "));
                    }
                    Ok(())
                }
                Err(ChangeError::Invalid(invalid)) => bail!("{}", describe(&invalid)),
                Err(ChangeError::Db(error)) => Err(error.into()),
            }
        }
    }
}

fn describe(invalid: &Invalid) -> String {
    invalid.0.iter().map(|e| format!("{}: {}", e.field, field_error(Language::En, e))).collect::<Vec<_>>().join("; ")
}

fn change_result<T>(result: Result<T, ChangeError>) -> anyhow::Result<T> {
    result.map_err(|error| match error {
        ChangeError::Invalid(invalid) => anyhow!("{}", describe(&invalid)),
        ChangeError::Db(db) => db.into(),
    })
}

async fn municipality_command(config: &Config, command: MunicipalityCommand) -> anyhow::Result<()> {
    let db = open(config).await?;
    match command {
        MunicipalityCommand::List => {
            let mut out = std::io::stdout().lock();
            for municipality in municipalities::list(&db).await? {
                let hosts = municipalities::hosts(&db, &municipality).await?;
                writeln!(
                    out,
                    "{:<16} {:<28} {:<10} {}",
                    municipality.slug,
                    municipality.name,
                    Language::join_list(&municipality.languages),
                    hosts.join(",")
                )?;
            }
            Ok(())
        }
        MunicipalityCommand::Add { slug, name, hosts, language } => {
            let slug = Slug::parse(&slug).map_err(|e| anyhow!("--slug: {e}"))?;
            let language: Language = language.parse().map_err(|e| anyhow!("--language: {e}"))?;
            let hosts =
                municipalities::parse_hosts(&hosts.join(",")).map_err(|e| anyhow!("--host: {}", describe(&e)))?;
            let mut input = settings_input(&Settings::defaults(&name, language));
            input.name = name;
            let shipped: Vec<String> = Framework::shipped().into_iter().map(|f| f.key).collect();
            let settings = Settings::parse(&input, &shipped).map_err(|e| anyhow!("{}", describe(&e)))?;
            let created = change_result(municipalities::add(&db, &slug, &settings, &hosts, Actor::CommandLine).await)?;
            println!(
                "Added {} ({}). Next: set districts and population margins with `radslag municipality set`.",
                created.name, created.slug
            );
            Ok(())
        }
        MunicipalityCommand::Set(args) => set_municipality(&db, args).await,
    }
}

fn settings_input(settings: &Settings) -> SettingsInput {
    SettingsInput {
        name: settings.name.clone(),
        default_language: settings.default_language.code().into(),
        languages: settings.languages.iter().map(|l| l.code().to_owned()).collect(),
        compass_framework: settings.compass_framework.clone(),
        max_invitations_per_year: settings.max_invitations_per_year.to_string(),
        min_days_between_invitations: settings.min_days_between_invitations.to_string(),
        suppression_threshold: settings.suppression_threshold.to_string(),
        consent_renewal_years: settings.consent_renewal_years.to_string(),
    }
}

async fn set_municipality(db: &DatabaseConnection, args: SetArgs) -> anyhow::Result<()> {
    let municipality = municipalities::by_slug(db, &args.slug)
        .await?
        .ok_or_else(|| anyhow!("no municipality `{}`; see `radslag municipality list`", args.slug))?;
    let current = Settings {
        name: municipality.name.clone(),
        default_language: municipality.default_language,
        languages: municipality.languages.clone(),
        compass_framework: municipality.compass_framework.clone(),
        max_invitations_per_year: municipality.max_invitations_per_year,
        min_days_between_invitations: municipality.min_days_between_invitations,
        suppression_threshold: municipality.suppression_threshold,
        consent_renewal_years: municipality.consent_renewal_years,
    };
    let mut input = settings_input(&current);
    let mut changed = false;
    let mut set = |target: &mut String, value: Option<String>| {
        if let Some(value) = value {
            *target = value;
            changed = true;
        }
    };
    set(&mut input.name, args.name);
    set(&mut input.default_language, args.default_language);
    set(&mut input.compass_framework, args.framework);
    set(&mut input.max_invitations_per_year, args.max_invitations);
    set(&mut input.min_days_between_invitations, args.min_days);
    set(&mut input.suppression_threshold, args.suppression);
    set(&mut input.consent_renewal_years, args.consent_years);
    if let Some(languages) = args.languages {
        input.languages = vec![languages];
        changed = true;
    }
    if changed {
        let frameworks = crate::services::compass::selectable_keys(db, &municipality).await?;
        let settings = Settings::parse(&input, &frameworks).map_err(|e| anyhow!("{}", describe(&e)))?;
        change_result(municipalities::update_settings(db, &municipality, &settings, Actor::CommandLine).await)?;
        println!("Settings saved.");
    }
    if let Some(hosts) = args.hosts {
        let hosts = municipalities::parse_hosts(&hosts).map_err(|e| anyhow!("--hosts: {}", describe(&e)))?;
        change_result(municipalities::set_hosts(db, &municipality, &hosts, Actor::CommandLine).await)?;
        println!("Host names saved.");
    }
    if let Some(path) = args.districts_file {
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let districts = parse_districts(&text).map_err(|e| anyhow!("{}: {}", path.display(), describe(&e)))?;
        change_result(municipalities::set_districts(db, &municipality, &districts, Actor::CommandLine).await)?;
        println!("{} districts saved.", districts.len());
    }
    if let Some(path) = args.margins_file {
        let data = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let count =
            change_result(municipalities::import_margins_csv(db, &municipality, &data, Actor::CommandLine).await)
                .map_err(|e| anyhow!("{}: {e}", path.display()))?;
        println!("{count} population cells imported.");
    }
    Ok(())
}

fn compass_command(command: &CompassCommand) -> anyhow::Result<()> {
    match command {
        CompassCommand::CheckFramework { file } => {
            let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
            let framework = crate::domain::compass::Framework::parse(&text).map_err(|e| anyhow!("{}", describe(&e)))?;
            println!("{} {}: {}", framework.key, framework.version, framework.name_in(Language::En));
            for area in &framework.areas {
                let max = crate::domain::compass::format_points(area.max_points);
                println!(
                    "  {}. {} ({max} points, {} sub-questions)",
                    area.number,
                    area.name_in(Language::En),
                    area.sub_questions.len()
                );
            }
            println!("Total: {} points.", crate::domain::compass::format_points(framework.max_points()));
            Ok(())
        }
    }
}

async fn panel_command(config: &Config, command: PanelCommand) -> anyhow::Result<()> {
    let db = open(config).await?;
    match command {
        PanelCommand::Import { file, skip_invalid, report, municipality } => {
            let municipality = pick_municipality(&db, config, &municipality).await?;
            let data = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let outcome = crate::services::panel::import_members(
                &db,
                &municipality,
                &config.base_url,
                &data,
                skip_invalid,
                Actor::CommandLine,
            )
            .await?;
            let lines: Vec<String> =
                outcome.problems.iter().map(|p| crate::views::panel::import_problem_line(Language::En, p)).collect();
            if let Some(path) = &report {
                let mut writer =
                    csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
                writer.write_record(["line", "column", "problem"])?;
                for problem in &outcome.problems {
                    let column = problem.args.iter().find(|(k, _)| *k == "column").map_or("", |(_, v)| v.as_str());
                    let line = problem.field.trim_start_matches("line ");
                    writer.write_record([line, column, &field_error(Language::En, problem)])?;
                }
                writer.flush()?;
            }
            if outcome.imported == 0 && !outcome.problems.is_empty() {
                const SHOWN: usize = 20;
                let more = lines.len().saturating_sub(SHOWN);
                let rest = if more > 0 { format!("; and {more} more (use --report FILE)") } else { String::new() };
                bail!(
                    "nothing imported; {} problem(s): {}{rest}",
                    lines.len(),
                    lines[..lines.len().min(SHOWN)].join("; ")
                );
            }
            println!(
                "{} member(s) imported into {}; each was emailed a confirmation link.",
                outcome.imported, municipality.name
            );
            if !lines.is_empty() {
                println!(
                    "{} row problem(s) skipped{}:",
                    lines.len(),
                    report.as_ref().map_or(String::new(), |p| format!(" (see {})", p.display()))
                );
                for line in lines {
                    println!("  {line}");
                }
            }
            Ok(())
        }
    }
}

async fn invite(config: &Config, args: InviteArgs) -> anyhow::Result<()> {
    let db = open(config).await?;
    let municipality = pick_municipality(&db, config, &args.municipality).await?;
    let method = match (args.all, &args.stratify) {
        (true, _) => "all",
        (false, Some(_)) => "stratified",
        (false, None) => "simple",
    };
    let input = SampleInput {
        method: method.to_owned(),
        size: args.sample.unwrap_or_default(),
        strata: args.stratify.into_iter().collect(),
        seed: args.seed.unwrap_or_default(),
        soft_launch: args.soft_launch.unwrap_or_default(),
        release_after: args.release_after.unwrap_or_default(),
    };
    let request = input.parse(sampling::new_seed()).map_err(|e| anyhow!("{}", describe(&e)))?;
    let invite_error = |error: InviteError| match error {
        InviteError::Invalid(invalid) => anyhow!("{}", describe(&invalid)),
        InviteError::NotFound => anyhow!("no survey {} in {}", args.survey_id, municipality.name),
        InviteError::AlreadySent(id) => anyhow!("this sample (seed {}) was sent already as sample {id}", request.seed),
        InviteError::Db(error) => error.into(),
    };
    let survey = invitations::survey(&db, &municipality, args.survey_id).await.map_err(invite_error)?;
    let preview = invitations::preview(&db, &municipality, &survey, &request).await.map_err(invite_error)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Drew {} of {} eligible members (method {}, seed {}).",
        preview.drawn.len(),
        preview.eligible,
        request.method.code(),
        request.seed
    )?;
    for (reason, count) in &preview.excluded {
        writeln!(out, "  left out, {reason}: {count}")?;
    }
    for (by, rows) in &preview.composition {
        writeln!(out, "\n{:<24} {:>8} {:>10} {:>12}", by.code(), "sample", "eligible", "population")?;
        for row in rows {
            writeln!(out, "{:<24} {:>8} {:>10} {:>12}", row.label, row.sample, row.eligible, row.population)?;
        }
    }
    if args.dry_run {
        writeln!(out, "\nDry run: nothing was sent.")?;
        return Ok(());
    }
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} left)")
            .map_err(|e| anyhow!("progress bar: {e}"))?
            .progress_chars("=> "),
    );
    bar.set_message("Queuing emails");
    let mut progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let outcome = invitations::send_with_progress(
        &db,
        &config.base_url,
        &municipality,
        survey.id,
        &request,
        Actor::CommandLine,
        &mut progress,
    )
    .await
    .map_err(invite_error)?;
    bar.finish_and_clear();
    writeln!(
        out,
        "\nInvited {} members (sample {}); {} emails queued now{}.",
        outcome.invited,
        outcome.sample_id,
        outcome.queued,
        if outcome.queued < outcome.invited { ", the rest on release" } else { "" }
    )?;
    Ok(())
}

async fn survey_command(config: &Config, command: SurveyCommand) -> anyhow::Result<()> {
    let db = open(config).await?;
    match command {
        SurveyCommand::Export { id, municipality } => {
            let municipality = pick_municipality(&db, config, &municipality).await?;
            let survey = crate::services::surveys::load(&db, &municipality, id)
                .await?
                .ok_or_else(|| anyhow!("no survey {id} in {}", municipality.slug))?;
            let text = crate::services::surveys::export_file(&survey)?;
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }
        SurveyCommand::Import { file, municipality } => {
            let municipality = pick_municipality(&db, config, &municipality).await?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            match crate::services::surveys::import_file(&db, &municipality, &text, Actor::CommandLine).await {
                Ok(survey) => {
                    println!("Imported survey {} as a draft.", survey.id);
                    Ok(())
                }
                Err(crate::services::surveys::ImportError::Invalid(error)) => {
                    bail!("{}: {}: {}", file.display(), error.field, field_error(Language::En, &error))
                }
                Err(crate::services::surveys::ImportError::Db(error)) => Err(error.into()),
            }
        }
    }
}
