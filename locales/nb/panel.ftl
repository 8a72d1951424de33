# Innbyggerpanelet: bli med, bekreft, min side, forlat, samtykke, import, oversikt
panel-choose = Velg …
panel-join-title = Bli med i innbyggerpanelet
panel-join-intro = Som medlem av innbyggerpanelet i { $municipality } får du noen få spørreundersøkelser i året om saker kommunen skal bestemme. Det tar fem minutter å bli med.
panel-join-button = Bli med
panel-join-already = Er du allerede med? Logg inn på Min side
panel-field-mobile = Mobilnummer
panel-field-mobile-hint = Brukes bare hvis e-post ikke kommer fram.
panel-field-birth-year = Fødselsår
panel-field-birth-year-hint = Fire sifre, for eksempel 1975. Du må være minst 16 år.
panel-field-gender = Kjønn
panel-field-district = Bydel der du bor
panel-field-education = Høyeste fullførte utdanning
panel-field-language = Språk du vil få e-post på
panel-gender-female = Kvinne
panel-gender-male = Mann
panel-gender-other = Annet / vil ikke oppgi
panel-education-primary = Grunnskole
panel-education-upper_secondary = Videregående skole eller fagbrev
panel-education-higher_short = Universitet eller høgskole, inntil 4 år
panel-education-higher_long = Universitet eller høgskole, mer enn 4 år
panel-source-self = Meldte seg på selv
panel-source-register = Trukket fra folkeregisteret
panel-source-event = Rekruttert på arrangement
panel-source-import = Importert fra liste
panel-status-pending = Venter på bekreftelse
panel-status-active = Aktiv
panel-status-deactivated = Deaktivert (samtykket er ikke fornyet)
panel-consent-heading = Dette sier du ja til
panel-consent-1 = { $municipality } lagrer e-postadressen din, eventuelt mobilnummer, fødselsår, kjønn, bydel, eventuelt utdanning og språket du vil ha e-post på. Vi bruker dette for å invitere deg til undersøkelser og for å se om panelet ligner befolkningen.
panel-consent-2 = { $municipality } lagrer svarene dine uten navn eller e-postadresse. Resultater vises bare for grupper som er så store at ingen kan kjennes igjen.
panel-consent-3 = { $municipality } sender deg bare noen få invitasjoner i året, og du bestemmer selv hver gang om du vil svare.
panel-consent-4 = { $municipality } lar deg se, endre og laste ned opplysningene dine, ta pause eller melde deg ut når du vil, på Min side. Melder du deg ut, slettes opplysningene med en gang.
panel-consent-5 = { $municipality } ber deg fornye samtykket etter noen år. Gjør du ikke det, får du ikke flere invitasjoner.
panel-consent-version = Samtykketekst versjon { $version }.
panel-consent-checkbox = Jeg har lest dette og vil være med i innbyggerpanelet
panel-error-email = Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no.
panel-error-mobile = Skriv et mobilnummer med 8 til 15 sifre, gjerne med landskode, for eksempel +47 912 34 567.
panel-error-birth-year = Skriv fødselsåret med fire sifre, for eksempel 1975.
panel-error-too-young = Du må være minst { $age } år for å være med i panelet.
panel-error-gender = Velg kjønn, eller «Annet / vil ikke oppgi».
panel-error-district = Velg bydelen du bor i.
panel-error-education = Velg en utdanning fra listen, eller la feltet stå tomt.
panel-error-language = Velg et av språkene i listen.
panel-error-consent = Du må krysse av for at du har lest teksten og vil være med.
panel-error-pause-date = Skriv en dato etter i dag og innen to år, som ÅÅÅÅ-MM-DD.
panel-check-email-title = Sjekk e-posten din
panel-check-email-body = Vi har sendt en e-post til adressen du skrev. Åpne lenken i e-posten for å gå videre. Lenken til å bekrefte medlemskap virker i 7 dager. Finner du ikke e-posten, sjekk søppelpostmappen.
panel-confirmed-title = Velkommen i innbyggerpanelet
panel-confirmed-body = Takk! Medlemskapet ditt i innbyggerpanelet i { $municipality } er bekreftet. Du får en e-post når det er en ny undersøkelse.
panel-confirmed-my-page = Gå til Min side
panel-link-invalid-title = Lenken virker ikke
panel-link-invalid-body = Lenken er ukjent, allerede brukt eller for gammel. Be om en ny lenke på e-post.
panel-link-invalid-action = Be om en ny lenke
panel-sign-in-title = Logg inn på Min side
panel-sign-in-intro = Skriv e-postadressen du er med i panelet med. Vi sender deg en lenke som logger deg inn. Lenken virker i én time.
panel-sign-in-button = Send meg en lenke
panel-sign-in-join = Ikke med ennå? Bli med i innbyggerpanelet
panel-me-title = Min side
panel-me-intro = Du er logget inn som { $email }.
panel-me-status-heading = Medlemskapet ditt
panel-me-paused-until = Du får ingen invitasjoner til og med { $date }.
panel-me-resume = Få invitasjoner igjen
panel-me-consent = Du samtykket til tekstversjon { $version } den { $date }.
panel-me-profile-heading = Opplysninger om deg
panel-me-invitations-heading = Undersøkelser du er invitert til
panel-me-invitations-none = Du er ikke invitert til noen undersøkelser ennå.
panel-me-invitations-caption = Invitasjoner, nyeste først. Svarene dine vises ikke, for de lagres uten kobling til deg.
panel-me-invitation-survey = Undersøkelse
panel-me-invitation-date = Invitert
panel-me-data-heading = Last ned opplysningene dine
panel-me-data-intro = Du kan laste ned alt vi har lagret om deg: profilen, samtykket og invitasjonene.
panel-me-data-link = Last ned (JSON)
panel-pause-heading = Ta pause
panel-pause-until = Ingen invitasjoner til og med
panel-pause-until-hint = Dato som ÅÅÅÅ-MM-DD, høyst to år fram i tid.
panel-pause-button = Ta pause
panel-leave-heading = Meld deg ut
panel-leave-intro = Du kan melde deg ut når du vil. Opplysningene om deg slettes med en gang.
panel-leave-link = Meld meg ut av panelet
panel-leave-title = Vil du melde deg ut?
panel-leave-explain = Hvis du melder deg ut, sletter vi e-postadressen og alle andre opplysninger om deg med en gang. Svar du allerede har gitt, er lagret uten kobling til deg og blir stående i resultatene.
panel-leave-button = Ja, meld meg ut
panel-leave-cancel = Nei, gå tilbake til Min side
panel-left-title = Du er meldt ut
panel-left-body = Opplysningene om deg er slettet. Vi har sendt en bekreftelse på e-post. Takk for at du var med!
panel-saved-profile = Opplysningene er lagret.
panel-saved-pause = Pausen er lagret.
panel-saved-resume = Du får invitasjoner igjen.
panel-saved-consent = Takk! Samtykket er fornyet.
panel-unsubscribe-title = Færre e-poster fra panelet
panel-unsubscribe-intro = Du kan ta pause fra invitasjonene en periode, eller melde deg helt ut.
panel-paused-title = Pause fra invitasjoner
panel-paused-body = Du får ingen invitasjoner til og med { $date }. Du kan endre dette på Min side.
panel-renew-title = Forny samtykket
panel-renew-intro = Det er en stund siden du sa ja til å være med i panelet. Les teksten og kryss av for å fortsette. Gjør du ikke det, får du ikke flere invitasjoner.
panel-renew-button = Forny samtykket
panel-renewed-title = Samtykket er fornyet
panel-renewed-body = Takk! Du er fortsatt med i innbyggerpanelet.
panel-email-footer = Denne e-posten er sendt fra innbyggerpanelet i { $municipality }. Har du ikke bedt om den, kan du se bort fra den.
panel-email-link-note = Virker ikke knappen? Kopier lenken inn i nettleseren.
panel-email-confirm-subject = Bekreft at du vil være med i innbyggerpanelet i { $municipality }
panel-email-confirm-body =
    Hei!

    Noen, trolig du, har meldt denne e-postadressen inn i innbyggerpanelet. Bekreft med knappen under. Lenken virker i 7 dager. Bekrefter du ikke, sletter vi opplysningene.
panel-email-confirm-button = Bekreft medlemskapet
panel-email-already-member-subject = Du er allerede med i innbyggerpanelet i { $municipality }
panel-email-already-member-body =
    Hei!

    Noen, trolig du, prøvde å melde denne e-postadressen inn i innbyggerpanelet, men den er allerede med. Vil du se eller endre opplysningene dine, kan du logge inn på Min side med lenken under. Den virker i én time.
panel-email-already-member-button = Logg inn på Min side
panel-email-sign-in-subject = Innlogging til Min side i innbyggerpanelet i { $municipality }
panel-email-sign-in-body =
    Hei!

    Her er lenken for å logge inn på Min side. Den virker i én time og kan brukes én gang.
panel-email-sign-in-button = Logg inn på Min side
panel-email-imported-subject = Invitasjon til innbyggerpanelet i { $municipality }
panel-email-imported-body =
    Hei!

    Kommunen inviterer deg til å være med i innbyggerpanelet. Som medlem får du noen få spørreundersøkelser i året om saker kommunen skal bestemme. Vi lagrer e-postadressen din, fødselsår, kjønn, bydel og språk, og svarene dine lagres uten kobling til deg. Du kan melde deg ut når du vil.

    Vil du være med, bekrefter du med knappen under innen 7 dager. Gjør du ikke det, sletter vi opplysningene.
panel-email-imported-button = Ja, jeg vil være med
panel-email-renew-subject = Vil du fortsatt være med i innbyggerpanelet i { $municipality }?
panel-email-renew-body =
    Hei!

    Det er noen år siden du sa ja til å være med i innbyggerpanelet. Vi ber deg fornye samtykket innen 30 dager. Gjør du ikke det, får du ikke flere invitasjoner.
panel-email-renew-button = Forny samtykket
panel-email-goodbye-subject = Du er meldt ut av innbyggerpanelet i { $municipality }
panel-email-goodbye-body =
    Hei!

    Du er nå meldt ut av innbyggerpanelet, og opplysningene om deg er slettet. Svar du allerede har gitt, er lagret uten kobling til deg. Takk for at du var med!
panel-email-goodbye-button = Bli med igjen
panel-overview-title = Innbyggerpanelet
panel-overview-intro = Antall medlemmer, og hvordan de aktive medlemmene fordeler seg sammenlignet med befolkningen. Grupper med under 80 % eller over 125 % av befolkningsandelen er merket.
panel-overview-csv = Last ned tallene (CSV)
panel-overview-status-caption = Medlemmer etter status
panel-overview-status = Status
panel-overview-members = Medlemmer
panel-overview-paused = Aktive med pause nå
panel-overview-by-district = Aktive medlemmer etter bydel
panel-overview-by-age_band = Aktive medlemmer etter alder
panel-overview-by-gender = Aktive medlemmer etter kjønn
panel-overview-by-source = Aktive medlemmer etter rekruttering
panel-overview-group = Gruppe
panel-overview-panel-share = Andel av panelet
panel-overview-population-share = Andel av befolkningen
panel-overview-representation = Sammenligning
panel-overview-under = Underrepresentert
panel-overview-over = Overrepresentert
panel-overview-even = Omtrent som befolkningen
panel-overview-unknown = Ingen befolkningstall
panel-members-title = Medlemsliste
panel-members-intro = Listen viser personopplysninger. Hver visning blir logget.
panel-members-caption = Medlemmer, side { $page } av { $pages }
panel-members-source = Rekruttering
panel-members-joined = Meldt inn
panel-members-pages = Sider i medlemslisten
panel-members-previous = Forrige side
panel-members-next = Neste side
panel-import-title = Importer medlemmer
panel-import-intro = Last opp en CSV-fil med kolonnene email, birth_year, gender, district, language og source, og eventuelt mobile, campaign og education. Alle rader sjekkes først. De nye medlemmene får en e-post der de bekrefter at de vil være med.
panel-import-file = CSV-fil
panel-import-file-hint = source er self, register, event eller import. gender er female, male eller other.
panel-import-skip-invalid = Importer de gyldige radene selv om noen har feil
panel-import-button = Importer
panel-import-done = { $count } medlemmer er importert og har fått e-post.
panel-import-failed-heading = Ingen er importert. Rett opp dette og last opp filen igjen:
panel-import-skipped-heading = Disse radene ble hoppet over:
panel-import-problem = Linje { $line } ({ $column }): { $message }
panel-import-error-no-file = Velg en CSV-fil.
panel-import-error-not-csv = Raden kan ikke leses som CSV.
panel-import-error-header = Første linje må inneholde kolonnene email, birth_year, gender, district, language og source.
panel-import-error-empty = Filen har ingen rader.
panel-import-error-source = Kilden må være self, register, event eller import.
panel-import-error-repeated = E-postadressen står flere ganger i filen.
panel-import-error-exists = E-postadressen er allerede med i panelet og blir ikke endret.
panel-import-error-campaign = Kampanjenavnet kan ha høyst 100 tegn.
nav-panel = Innbyggerpanelet
panel-home-join = Bli med i panelet
panel-home-sign-in = Logg inn på Min side

panel-confirm-title = Bekreft medlemskapet
panel-confirm-intro = Du er nesten med i innbyggerpanelet i { $municipality }. Trykk på knappen for å bekrefte at e-postadressen er din.
panel-confirm-button = Bekreft medlemskapet
panel-link-sign-in-title = Logg inn på Min side
panel-link-sign-in-intro = Trykk på knappen for å logge inn på Min side i innbyggerpanelet i { $municipality }.
panel-link-sign-in-button = Gå til Min side
