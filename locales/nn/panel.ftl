# Innbyggjarpanelet: bli med, stadfest, mi side, meld deg ut, samtykke, import, oversyn
panel-choose = Vel …
panel-join-title = Bli med i innbyggjarpanelet
panel-join-intro = Som medlem av innbyggjarpanelet i { $municipality } får du nokre få spørjeundersøkingar i året om saker kommunen skal avgjere. Det tek fem minutt å bli med.
panel-join-button = Bli med
panel-join-already = Er du alt med? Logg inn på Mi side
panel-field-mobile = Mobilnummer
panel-field-mobile-hint = Vert berre brukt dersom e-post ikkje kjem fram.
panel-field-birth-year = Fødselsår
panel-field-birth-year-hint = Fire siffer, til dømes 1975. Du må vere minst 16 år.
panel-field-gender = Kjønn
panel-field-district = Bydel der du bur
panel-field-education = Høgaste fullførte utdanning
panel-field-language = Språk du vil få e-post på
panel-gender-female = Kvinne
panel-gender-male = Mann
panel-gender-other = Anna / vil ikkje oppgje
panel-education-primary = Grunnskule
panel-education-upper_secondary = Vidaregåande skule eller fagbrev
panel-education-higher_short = Universitet eller høgskule, inntil 4 år
panel-education-higher_long = Universitet eller høgskule, meir enn 4 år
panel-source-self = Melde seg på sjølv
panel-source-register = Trekt frå folkeregisteret
panel-source-event = Rekruttert på arrangement
panel-source-import = Importert frå liste
panel-status-pending = Ventar på stadfesting
panel-status-active = Aktiv
panel-status-deactivated = Deaktivert (samtykket er ikkje fornya)
panel-consent-heading = Dette seier du ja til
panel-consent-1 = { $municipality } lagrar e-postadressa di, eventuelt mobilnummer, fødselsår, kjønn, bydel, eventuelt utdanning og språket du vil ha e-post på. Vi brukar dette for å invitere deg til undersøkingar og for å sjå om panelet liknar på folketalet.
panel-consent-2 = { $municipality } lagrar svara dine utan namn eller e-postadresse. Resultat vert berre viste for grupper som er så store at ingen kan kjennast att.
panel-consent-3 = { $municipality } sender deg berre nokre få invitasjonar i året, og du avgjer sjølv kvar gong om du vil svare.
panel-consent-4 = { $municipality } lèt deg sjå, endre og laste ned opplysningane dine, ta pause eller melde deg ut når du vil, på Mi side. Melder du deg ut, vert opplysningane sletta med ein gong.
panel-consent-5 = { $municipality } ber deg fornye samtykket etter nokre år. Gjer du ikkje det, får du ikkje fleire invitasjonar.
panel-consent-version = Samtykketekst versjon { $version }.
panel-consent-checkbox = Eg har lese dette og vil vere med i innbyggjarpanelet
panel-error-email = Skriv ei gyldig e-postadresse, til dømes namn@døme.no.
panel-error-mobile = Skriv eit mobilnummer med 8 til 15 siffer, gjerne med landskode, til dømes +47 912 34 567.
panel-error-birth-year = Skriv fødselsåret med fire siffer, til dømes 1975.
panel-error-too-young = Du må vere minst { $age } år for å vere med i panelet.
panel-error-gender = Vel kjønn, eller «Anna / vil ikkje oppgje».
panel-error-district = Vel bydelen du bur i.
panel-error-education = Vel ei utdanning frå lista, eller la feltet stå tomt.
panel-error-language = Vel eitt av språka i lista.
panel-error-consent = Du må kryssa av for at du har lese teksten og vil vere med.
panel-error-pause-date = Skriv ein dato etter i dag og innan to år, som ÅÅÅÅ-MM-DD.
panel-check-email-title = Sjekk e-posten din
panel-check-email-body = Vi har sendt ein e-post til adressa du skreiv. Opne lenkja i e-posten for å gå vidare. Lenkja for å stadfeste medlemskap verkar i 7 dagar. Finn du ikkje e-posten, sjekk søppelpostmappa.
panel-confirmed-title = Velkomen i innbyggjarpanelet
panel-confirmed-body = Takk! Medlemskapet ditt i innbyggjarpanelet i { $municipality } er stadfesta. Du får ein e-post når det kjem ei ny undersøking.
panel-confirmed-my-page = Gå til Mi side
panel-link-invalid-title = Lenkja verkar ikkje
panel-link-invalid-body = Lenkja er ukjend, alt brukt eller for gammal. Be om ei ny lenkje på e-post.
panel-link-invalid-action = Be om ei ny lenkje
panel-sign-in-title = Logg inn på Mi side
panel-sign-in-intro = Skriv e-postadressa du er med i panelet med. Vi sender deg ei lenkje som loggar deg inn. Lenkja verkar i éin time.
panel-sign-in-button = Send meg ei lenkje
panel-sign-in-join = Ikkje med enno? Bli med i innbyggjarpanelet
panel-me-title = Mi side
panel-me-intro = Du er logga inn som { $email }.
panel-me-status-heading = Medlemskapet ditt
panel-me-paused-until = Du får ingen invitasjonar til og med { $date }.
panel-me-resume = Få invitasjonar att
panel-me-consent = Du samtykte til tekstversjon { $version } den { $date }.
panel-me-profile-heading = Opplysningar om deg
panel-me-invitations-heading = Undersøkingar du er invitert til
panel-me-invitations-none = Du er ikkje invitert til nokon undersøkingar enno.
panel-me-invitations-caption = Invitasjonar, nyaste først. Svara dine vert ikkje viste, for dei er lagra utan kopling til deg.
panel-me-invitation-survey = Undersøking
panel-me-invitation-date = Invitert
panel-me-data-heading = Last ned opplysningane dine
panel-me-data-intro = Du kan laste ned alt vi har lagra om deg: profilen, samtykket og invitasjonane.
panel-me-data-link = Last ned (JSON)
panel-pause-heading = Ta pause
panel-pause-until = Ingen invitasjonar til og med
panel-pause-until-hint = Dato som ÅÅÅÅ-MM-DD, høgst to år fram i tid.
panel-pause-button = Ta pause
panel-leave-heading = Meld deg ut
panel-leave-intro = Du kan melde deg ut når du vil. Opplysningane om deg vert sletta med ein gong.
panel-leave-link = Meld meg ut av panelet
panel-leave-title = Vil du melde deg ut?
panel-leave-explain = Dersom du melder deg ut, slettar vi e-postadressa og alle andre opplysningar om deg med ein gong. Svar du alt har gitt, er lagra utan kopling til deg og vert ståande i resultata.
panel-leave-button = Ja, meld meg ut
panel-leave-cancel = Nei, gå tilbake til Mi side
panel-left-title = Du er meld ut
panel-left-body = Opplysningane om deg er sletta. Vi har sendt ei stadfesting på e-post. Takk for at du var med!
panel-saved-profile = Opplysningane er lagra.
panel-saved-pause = Pausen er lagra.
panel-saved-resume = Du får invitasjonar att.
panel-saved-consent = Takk! Samtykket er fornya.
panel-unsubscribe-title = Færre e-postar frå panelet
panel-unsubscribe-intro = Du kan ta pause frå invitasjonane ei tid, eller melde deg heilt ut.
panel-paused-title = Pause frå invitasjonar
panel-paused-body = Du får ingen invitasjonar til og med { $date }. Du kan endre dette på Mi side.
panel-renew-title = Forny samtykket
panel-renew-intro = Det er ei stund sidan du sa ja til å vere med i panelet. Les teksten og kryss av for å halde fram. Gjer du ikkje det, får du ikkje fleire invitasjonar.
panel-renew-button = Forny samtykket
panel-renewed-title = Samtykket er fornya
panel-renewed-body = Takk! Du er framleis med i innbyggjarpanelet.
panel-email-footer = Denne e-posten er send frå innbyggjarpanelet i { $municipality }. Har du ikkje bede om han, kan du sjå bort frå han.
panel-email-link-note = Verkar ikkje knappen? Kopier lenkja inn i nettlesaren.
panel-email-confirm-subject = Stadfest at du vil vere med i innbyggjarpanelet i { $municipality }
panel-email-confirm-body =
    Hei!

    Nokon, truleg du, har meldt denne e-postadressa inn i innbyggjarpanelet. Stadfest med knappen under. Lenkja verkar i 7 dagar. Stadfestar du ikkje, slettar vi opplysningane.
panel-email-confirm-button = Stadfest medlemskapet
panel-email-already-member-subject = Du er alt med i innbyggjarpanelet i { $municipality }
panel-email-already-member-body =
    Hei!

    Nokon, truleg du, prøvde å melde denne e-postadressa inn i innbyggjarpanelet, men ho er alt med. Vil du sjå eller endre opplysningane dine, kan du logge inn på Mi side med lenkja under. Ho verkar i éin time.
panel-email-already-member-button = Logg inn på Mi side
panel-email-sign-in-subject = Innlogging til Mi side i innbyggjarpanelet i { $municipality }
panel-email-sign-in-body =
    Hei!

    Her er lenkja for å logge inn på Mi side. Ho verkar i éin time og kan brukast éin gong.
panel-email-sign-in-button = Logg inn på Mi side
panel-email-imported-subject = Invitasjon til innbyggjarpanelet i { $municipality }
panel-email-imported-body =
    Hei!

    Kommunen inviterer deg til å vere med i innbyggjarpanelet. Som medlem får du nokre få spørjeundersøkingar i året om saker kommunen skal avgjere. Vi lagrar e-postadressa di, fødselsår, kjønn, bydel og språk, og svara dine vert lagra utan kopling til deg. Du kan melde deg ut når du vil.

    Vil du vere med, stadfestar du med knappen under innan 7 dagar. Gjer du ikkje det, slettar vi opplysningane.
panel-email-imported-button = Ja, eg vil vere med
panel-email-renew-subject = Vil du framleis vere med i innbyggjarpanelet i { $municipality }?
panel-email-renew-body =
    Hei!

    Det er nokre år sidan du sa ja til å vere med i innbyggjarpanelet. Vi ber deg fornye samtykket innan 30 dagar. Gjer du ikkje det, får du ikkje fleire invitasjonar.
panel-email-renew-button = Forny samtykket
panel-email-goodbye-subject = Du er meld ut av innbyggjarpanelet i { $municipality }
panel-email-goodbye-body =
    Hei!

    Du er no meld ut av innbyggjarpanelet, og opplysningane om deg er sletta. Svar du alt har gitt, er lagra utan kopling til deg. Takk for at du var med!
panel-email-goodbye-button = Bli med att
panel-overview-title = Innbyggjarpanelet
panel-overview-intro = Talet på medlemmer, og korleis dei aktive medlemmene fordeler seg samanlikna med folketalet. Grupper med under 80 % eller over 125 % av delen i folketalet er merkte.
panel-overview-csv = Last ned tala (CSV)
panel-overview-status-caption = Medlemmer etter status
panel-overview-status = Status
panel-overview-members = Medlemmer
panel-overview-paused = Aktive med pause no
panel-overview-by-district = Aktive medlemmer etter bydel
panel-overview-by-age_band = Aktive medlemmer etter alder
panel-overview-by-gender = Aktive medlemmer etter kjønn
panel-overview-by-source = Aktive medlemmer etter rekruttering
panel-overview-group = Gruppe
panel-overview-panel-share = Del av panelet
panel-overview-population-share = Del av folketalet
panel-overview-representation = Samanlikning
panel-overview-under = Underrepresentert
panel-overview-over = Overrepresentert
panel-overview-even = Om lag som folketalet
panel-overview-unknown = Ingen folketal
panel-members-title = Medlemsliste
panel-members-intro = Lista viser personopplysningar. Kvar vising vert logga.
panel-members-caption = Medlemmer, side { $page } av { $pages }
panel-members-source = Rekruttering
panel-members-joined = Meld inn
panel-members-pages = Sider i medlemslista
panel-members-previous = Førre side
panel-members-next = Neste side
panel-import-title = Importer medlemmer
panel-import-intro = Last opp ei CSV-fil med kolonnane email, birth_year, gender, district, language og source, og eventuelt mobile, campaign og education. Alle radene vert sjekka først. Dei nye medlemmene får ein e-post der dei stadfestar at dei vil vere med.
panel-import-file = CSV-fil
panel-import-file-hint = source er self, register, event eller import. gender er female, male eller other.
panel-import-skip-invalid = Importer dei gyldige radene sjølv om nokre har feil
panel-import-button = Importer
panel-import-done = { $count } medlemmer er importerte og har fått e-post.
panel-import-failed-heading = Ingen er importerte. Rett opp dette og last opp fila på nytt:
panel-import-skipped-heading = Desse radene vart hoppa over:
panel-import-problem = Linje { $line } ({ $column }): { $message }
panel-import-error-no-file = Vel ei CSV-fil.
panel-import-error-not-csv = Rada kan ikkje lesast som CSV.
panel-import-error-header = Første linja må innehalde kolonnane email, birth_year, gender, district, language og source.
panel-import-error-empty = Fila har ingen rader.
panel-import-error-source = Kjelda må vere self, register, event eller import.
panel-import-error-repeated = E-postadressa står fleire gonger i fila.
panel-import-error-exists = E-postadressa er alt med i panelet og vert ikkje endra.
panel-import-error-campaign = Kampanjenamnet kan ha høgst 100 teikn.
nav-panel = Innbyggjarpanelet
panel-home-join = Bli med i panelet
panel-home-sign-in = Logg inn på Mi side

panel-confirm-title = Stadfest medlemskapet
panel-confirm-intro = Du er nesten med i innbyggjarpanelet i { $municipality }. Trykk på knappen for å stadfeste at e-postadressa er di.
panel-confirm-button = Stadfest medlemskapet
panel-link-sign-in-title = Logg inn på Mi side
panel-link-sign-in-intro = Trykk på knappen for å logge inn på Mi side i innbyggjarpanelet i { $municipality }.
panel-link-sign-in-button = Gå til Mi side
