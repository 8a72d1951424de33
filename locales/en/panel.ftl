# Citizen panel: join, confirm, my page, leave, consent, import, overview
panel-choose = Choose …
panel-join-title = Join the citizen panel
panel-join-intro = As a member of the citizen panel of { $municipality } you get a few short surveys a year about matters the municipality is about to decide. Joining takes five minutes.
panel-join-button = Join
panel-join-already = Already a member? Sign in to My page
panel-field-mobile = Mobile number
panel-field-mobile-hint = Used only if email does not reach you.
panel-field-birth-year = Year of birth
panel-field-birth-year-hint = Four digits, for example 1975. You must be at least 16.
panel-field-gender = Gender
panel-field-district = District where you live
panel-field-education = Highest completed education
panel-field-language = Language for your emails
panel-gender-female = Woman
panel-gender-male = Man
panel-gender-other = Other / prefer not to say
panel-education-primary = Primary and lower secondary school
panel-education-upper_secondary = Upper secondary school or vocational certificate
panel-education-higher_short = University or college, up to 4 years
panel-education-higher_long = University or college, more than 4 years
panel-source-self = Signed up themselves
panel-source-register = Drawn from the population register
panel-source-event = Recruited at an event
panel-source-import = Imported from a list
panel-status-pending = Waiting for confirmation
panel-status-active = Active
panel-status-deactivated = Deactivated (consent not renewed)
panel-consent-heading = What you agree to
panel-consent-1 = { $municipality } stores your email address, mobile number if given, year of birth, gender, district, education if given and the language you want emails in. We use this to invite you to surveys and to check that the panel resembles the population.
panel-consent-2 = { $municipality } stores your answers without your name or email address. Results are shown only for groups large enough that nobody can be recognised.
panel-consent-3 = { $municipality } sends you only a few invitations a year, and you decide each time whether to answer.
panel-consent-4 = { $municipality } lets you see, change and download your data, pause, or leave whenever you like, on My page. When you leave, your data is deleted at once.
panel-consent-5 = { $municipality } asks you to renew this consent after a few years. If you do not, you get no more invitations.
panel-consent-version = Consent text version { $version }.
panel-consent-checkbox = I have read this and want to join the citizen panel
panel-error-email = Enter a valid email address, for example name@example.com.
panel-error-mobile = Enter a mobile number with 8 to 15 digits, preferably with the country code, for example +47 912 34 567.
panel-error-birth-year = Enter your year of birth as four digits, for example 1975.
panel-error-too-young = You must be at least { $age } to join the panel.
panel-error-gender = Choose a gender, or "Other / prefer not to say".
panel-error-district = Choose the district you live in.
panel-error-education = Choose an education from the list, or leave it empty.
panel-error-language = Choose one of the languages in the list.
panel-error-consent = Tick the box to confirm that you have read the text and want to join.
panel-error-pause-date = Enter a date after today and within two years, as YYYY-MM-DD.
panel-check-email-title = Check your email
panel-check-email-body = We have sent an email to the address you entered. Open the link in it to continue. A link to confirm a membership works for 7 days. If you cannot find the email, look in your spam folder.
panel-confirmed-title = Welcome to the citizen panel
panel-confirmed-body = Thank you! Your membership of the citizen panel of { $municipality } is confirmed. We will email you when there is a new survey.
panel-confirmed-my-page = Go to My page
panel-link-invalid-title = This link does not work
panel-link-invalid-body = The link is unknown, has been used already or is too old. Ask for a new link by email.
panel-link-invalid-action = Ask for a new link
panel-sign-in-title = Sign in to My page
panel-sign-in-intro = Enter the email address you are a panel member with. We will send you a link that signs you in. The link works for one hour.
panel-sign-in-button = Send me a link
panel-sign-in-join = Not a member yet? Join the citizen panel
panel-me-title = My page
panel-me-intro = You are signed in as { $email }.
panel-me-status-heading = Your membership
panel-me-paused-until = You get no invitations until and including { $date }.
panel-me-resume = Get invitations again
panel-me-consent = You agreed to text version { $version } on { $date }.
panel-me-profile-heading = About you
panel-me-invitations-heading = Surveys you were invited to
panel-me-invitations-none = You have not been invited to any surveys yet.
panel-me-invitations-caption = Invitations, newest first. Your answers are not shown, because they are stored without any link to you.
panel-me-invitation-survey = Survey
panel-me-invitation-date = Invited
panel-me-data-heading = Download your data
panel-me-data-intro = You can download everything we hold about you: your profile, your consent and your invitations.
panel-me-data-link = Download (JSON)
panel-pause-heading = Take a break
panel-pause-until = No invitations until and including
panel-pause-until-hint = Date as YYYY-MM-DD, at most two years ahead.
panel-pause-button = Take a break
panel-leave-heading = Leave the panel
panel-leave-intro = You can leave whenever you like. Your data is deleted at once.
panel-leave-link = Leave the panel
panel-leave-title = Do you want to leave?
panel-leave-explain = If you leave, we delete your email address and everything else about you at once. Answers you have already given are stored without any link to you and stay in the results.
panel-leave-button = Yes, remove me
panel-leave-cancel = No, back to My page
panel-left-title = You have left the panel
panel-left-body = Your data has been deleted. We have sent you a confirmation by email. Thank you for taking part!
panel-saved-profile = Your details are saved.
panel-saved-pause = Your break is saved.
panel-saved-resume = You will get invitations again.
panel-saved-consent = Thank you! Your consent is renewed.
panel-unsubscribe-title = Fewer emails from the panel
panel-unsubscribe-intro = You can take a break from invitations for a while, or leave the panel altogether.
panel-paused-title = Break from invitations
panel-paused-body = You get no invitations until and including { $date }. You can change this on My page.
panel-renew-title = Renew your consent
panel-renew-intro = It is a while since you agreed to be in the panel. Read the text and tick the box to continue. If you do not, you get no more invitations.
panel-renew-button = Renew consent
panel-renewed-title = Consent renewed
panel-renewed-body = Thank you! You are still a member of the citizen panel.
panel-email-footer = This email was sent by the citizen panel of { $municipality }. If you did not ask for it, you can ignore it.
panel-email-link-note = Does the button not work? Copy the link into your browser.
panel-email-confirm-subject = Confirm that you want to join the citizen panel of { $municipality }
panel-email-confirm-body =
    Hello!

    Someone, probably you, signed this email address up for the citizen panel. Please confirm with the button below. The link works for 7 days. If you do not confirm, we delete the details.
panel-email-confirm-button = Confirm membership
panel-email-already-member-subject = You are already in the citizen panel of { $municipality }
panel-email-already-member-body =
    Hello!

    Someone, probably you, tried to sign this email address up for the citizen panel, but it is a member already. To see or change your details, sign in to My page with the link below. It works for one hour.
panel-email-already-member-button = Sign in to My page
panel-email-sign-in-subject = Sign in to My page in the citizen panel of { $municipality }
panel-email-sign-in-body =
    Hello!

    Here is your link to sign in to My page. It works for one hour and only once.
panel-email-sign-in-button = Sign in to My page
panel-email-imported-subject = Invitation to the citizen panel of { $municipality }
panel-email-imported-body =
    Hello!

    The municipality invites you to join its citizen panel. Members get a few short surveys a year about matters the municipality is about to decide. We store your email address, year of birth, gender, district and language, and your answers are stored without any link to you. You can leave whenever you like.

    If you want to join, confirm with the button below within 7 days. If you do not, we delete the details.
panel-email-imported-button = Yes, I want to join
panel-email-renew-subject = Do you still want to be in the citizen panel of { $municipality }?
panel-email-renew-body =
    Hello!

    It is a few years since you agreed to be in the citizen panel. Please renew your consent within 30 days. If you do not, you will get no more invitations.
panel-email-renew-button = Renew consent
panel-email-goodbye-subject = You have left the citizen panel of { $municipality }
panel-email-goodbye-body =
    Hello!

    You have now left the citizen panel, and your details have been deleted. Answers you have already given are stored without any link to you. Thank you for taking part!
panel-email-goodbye-button = Join again
panel-overview-title = Citizen panel
panel-overview-intro = Number of members, and how the active members compare with the population. Groups below 80 % or above 125 % of their population share are marked.
panel-overview-csv = Download the counts (CSV)
panel-overview-status-caption = Members by status
panel-overview-status = Status
panel-overview-members = Members
panel-overview-paused = Active, on a break now
panel-overview-by-district = Active members by district
panel-overview-by-age_band = Active members by age
panel-overview-by-gender = Active members by gender
panel-overview-by-source = Active members by recruitment
panel-overview-group = Group
panel-overview-panel-share = Share of panel
panel-overview-population-share = Share of population
panel-overview-representation = Comparison
panel-overview-under = Under-represented
panel-overview-over = Over-represented
panel-overview-even = About as in the population
panel-overview-unknown = No population figure
panel-members-title = Member list
panel-members-intro = This list shows personal data. Every view is logged.
panel-members-caption = Members, page { $page } of { $pages }
panel-members-source = Recruitment
panel-members-joined = Joined
panel-members-pages = Pages of the member list
panel-members-previous = Previous page
panel-members-next = Next page
panel-import-title = Import members
panel-import-intro = Upload a CSV file with the columns email, birth_year, gender, district, language and source, and optionally mobile, campaign and education. Every row is checked first. New members get an email in which they confirm that they want to join.
panel-import-file = CSV file
panel-import-file-hint = source is self, register, event or import. gender is female, male or other.
panel-import-skip-invalid = Import the valid rows even if some have problems
panel-import-button = Import
panel-import-done = { $count } members were imported and have been emailed.
panel-import-failed-heading = Nobody was imported. Fix these problems and upload the file again:
panel-import-skipped-heading = These rows were skipped:
panel-import-problem = Line { $line } ({ $column }): { $message }
panel-import-error-no-file = Choose a CSV file.
panel-import-error-not-csv = The row cannot be read as CSV.
panel-import-error-header = The first line must contain the columns email, birth_year, gender, district, language and source.
panel-import-error-empty = The file has no rows.
panel-import-error-source = The source must be self, register, event or import.
panel-import-error-repeated = The email address appears more than once in the file.
panel-import-error-exists = The email address is already a panel member and is left unchanged.
panel-import-error-campaign = The campaign name can have at most 100 characters.
nav-panel = Citizen panel
panel-home-join = Join the panel
panel-home-sign-in = Sign in to My page

panel-confirm-title = Confirm your membership
panel-confirm-intro = You are almost a member of the citizen panel of { $municipality }. Press the button to confirm that the email address is yours.
panel-confirm-button = Confirm membership
panel-link-sign-in-title = Sign in to My page
panel-link-sign-in-intro = Press the button to sign in to My page in the citizen panel of { $municipality }.
panel-link-sign-in-button = Go to My page
