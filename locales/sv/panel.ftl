# Medborgarpanelen: gå med, bekräfta, mina sidor, gå ur, samtycke, import, översikt
panel-choose = Välj …
panel-join-title = Gå med i medborgarpanelen
panel-join-intro = Som medlem i medborgarpanelen i { $municipality } får du några korta enkäter om året om frågor som kommunen ska besluta om. Det tar fem minuter att gå med.
panel-join-button = Gå med
panel-join-already = Redan med? Logga in på Mina sidor
panel-field-mobile = Mobilnummer
panel-field-mobile-hint = Används bara om e-post inte når fram.
panel-field-birth-year = Födelseår
panel-field-birth-year-hint = Fyra siffror, till exempel 1975. Du måste vara minst 16 år.
panel-field-gender = Kön
panel-field-district = Område där du bor
panel-field-education = Högsta avslutade utbildning
panel-field-language = Språk för dina e-postmeddelanden
panel-gender-female = Kvinna
panel-gender-male = Man
panel-gender-other = Annat / vill inte uppge
panel-education-primary = Grundskola
panel-education-upper_secondary = Gymnasium eller yrkesutbildning
panel-education-higher_short = Universitet eller högskola, upp till 4 år
panel-education-higher_long = Universitet eller högskola, mer än 4 år
panel-source-self = Anmälde sig själv
panel-source-register = Slumpvis utvald ur folkbokföringen
panel-source-event = Rekryterad vid ett evenemang
panel-source-import = Importerad från lista
panel-status-pending = Väntar på bekräftelse
panel-status-active = Aktiv
panel-status-deactivated = Avaktiverad (samtycket har inte förnyats)
panel-consent-heading = Det här säger du ja till
panel-consent-1 = { $municipality } sparar din e-postadress, mobilnummer om du anger det, födelseår, kön, område, utbildning om du anger den och det språk du vill ha e-post på. Vi använder uppgifterna för att bjuda in dig till enkäter och för att se om panelen liknar befolkningen.
panel-consent-2 = { $municipality } sparar dina svar utan namn eller e-postadress. Resultat visas bara för grupper som är så stora att ingen kan kännas igen.
panel-consent-3 = { $municipality } skickar bara några få inbjudningar om året, och du bestämmer själv varje gång om du vill svara.
panel-consent-4 = { $municipality } låter dig se, ändra och ladda ner dina uppgifter, pausa eller gå ur när du vill, på Mina sidor. Går du ur raderas uppgifterna direkt.
panel-consent-5 = { $municipality } ber dig förnya samtycket efter några år. Gör du inte det får du inga fler inbjudningar.
panel-consent-version = Samtyckestext version { $version }.
panel-consent-checkbox = Jag har läst detta och vill vara med i medborgarpanelen
panel-error-email = Skriv en giltig e-postadress, till exempel namn@exempel.se.
panel-error-mobile = Skriv ett mobilnummer med 8 till 15 siffror, gärna med landsnummer, till exempel +46 70 123 45 67.
panel-error-birth-year = Skriv ditt födelseår med fyra siffror, till exempel 1975.
panel-error-too-young = Du måste vara minst { $age } år för att vara med i panelen.
panel-error-gender = Välj kön, eller ”Annat / vill inte uppge”.
panel-error-district = Välj området där du bor.
panel-error-education = Välj en utbildning i listan, eller lämna fältet tomt.
panel-error-language = Välj ett av språken i listan.
panel-error-consent = Kryssa i rutan för att visa att du har läst texten och vill vara med.
panel-error-pause-date = Skriv ett datum efter i dag och inom två år, som ÅÅÅÅ-MM-DD.
panel-check-email-title = Titta i din e-post
panel-check-email-body = Vi har skickat ett e-postmeddelande till adressen du skrev. Öppna länken i meddelandet för att gå vidare. En länk för att bekräfta medlemskap fungerar i 7 dagar. Hittar du inte meddelandet, titta i skräpposten.
panel-confirmed-title = Välkommen till medborgarpanelen
panel-confirmed-body = Tack! Ditt medlemskap i medborgarpanelen i { $municipality } är bekräftat. Du får e-post när det finns en ny enkät.
panel-confirmed-my-page = Gå till Mina sidor
panel-link-invalid-title = Länken fungerar inte
panel-link-invalid-body = Länken är okänd, redan använd eller för gammal. Be om en ny länk via e-post.
panel-link-invalid-action = Be om en ny länk
panel-sign-in-title = Logga in på Mina sidor
panel-sign-in-intro = Skriv e-postadressen som du är med i panelen med. Vi skickar en länk som loggar in dig. Länken fungerar i en timme.
panel-sign-in-button = Skicka en länk till mig
panel-sign-in-join = Inte med än? Gå med i medborgarpanelen
panel-me-title = Mina sidor
panel-me-intro = Du är inloggad som { $email }.
panel-me-status-heading = Ditt medlemskap
panel-me-paused-until = Du får inga inbjudningar till och med { $date }.
panel-me-resume = Få inbjudningar igen
panel-me-consent = Du samtyckte till textversion { $version } den { $date }.
panel-me-profile-heading = Uppgifter om dig
panel-me-invitations-heading = Enkäter du har bjudits in till
panel-me-invitations-none = Du har inte bjudits in till några enkäter än.
panel-me-invitations-caption = Inbjudningar, nyaste först. Dina svar visas inte, eftersom de sparas utan koppling till dig.
panel-me-invitation-survey = Enkät
panel-me-invitation-date = Inbjuden
panel-me-data-heading = Ladda ner dina uppgifter
panel-me-data-intro = Du kan ladda ner allt vi har sparat om dig: profilen, samtycket och inbjudningarna.
panel-me-data-link = Ladda ner (JSON)
panel-pause-heading = Ta paus
panel-pause-until = Inga inbjudningar till och med
panel-pause-until-hint = Datum som ÅÅÅÅ-MM-DD, högst två år framåt.
panel-pause-button = Ta paus
panel-leave-heading = Gå ur panelen
panel-leave-intro = Du kan gå ur när du vill. Uppgifterna om dig raderas direkt.
panel-leave-link = Gå ur panelen
panel-leave-title = Vill du gå ur panelen?
panel-leave-explain = Om du går ur raderar vi din e-postadress och alla andra uppgifter om dig direkt. Svar som du redan har lämnat sparas utan koppling till dig och finns kvar i resultaten.
panel-leave-button = Ja, ta bort mig
panel-leave-cancel = Nej, tillbaka till Mina sidor
panel-left-title = Du har gått ur panelen
panel-left-body = Uppgifterna om dig är raderade. Vi har skickat en bekräftelse via e-post. Tack för att du var med!
panel-saved-profile = Uppgifterna är sparade.
panel-saved-pause = Pausen är sparad.
panel-saved-resume = Du får inbjudningar igen.
panel-saved-consent = Tack! Samtycket är förnyat.
panel-unsubscribe-title = Färre e-postmeddelanden från panelen
panel-unsubscribe-intro = Du kan ta paus från inbjudningarna en tid, eller gå ur panelen helt.
panel-paused-title = Paus från inbjudningar
panel-paused-body = Du får inga inbjudningar till och med { $date }. Du kan ändra det på Mina sidor.
panel-renew-title = Förnya samtycket
panel-renew-intro = Det var ett tag sedan du sa ja till att vara med i panelen. Läs texten och kryssa i rutan för att fortsätta. Gör du inte det får du inga fler inbjudningar.
panel-renew-button = Förnya samtycket
panel-renewed-title = Samtycket är förnyat
panel-renewed-body = Tack! Du är fortfarande med i medborgarpanelen.
panel-email-footer = Det här meddelandet kommer från medborgarpanelen i { $municipality }. Om du inte har bett om det kan du bortse från det.
panel-email-link-note = Fungerar inte knappen? Kopiera länken till din webbläsare.
panel-email-confirm-subject = Bekräfta att du vill vara med i medborgarpanelen i { $municipality }
panel-email-confirm-body =
    Hej!

    Någon, troligen du, har anmält den här e-postadressen till medborgarpanelen. Bekräfta med knappen nedan. Länken fungerar i 7 dagar. Om du inte bekräftar raderar vi uppgifterna.
panel-email-confirm-button = Bekräfta medlemskapet
panel-email-already-member-subject = Du är redan med i medborgarpanelen i { $municipality }
panel-email-already-member-body =
    Hej!

    Någon, troligen du, försökte anmäla den här e-postadressen till medborgarpanelen, men den är redan med. Vill du se eller ändra dina uppgifter kan du logga in på Mina sidor med länken nedan. Den fungerar i en timme.
panel-email-already-member-button = Logga in på Mina sidor
panel-email-sign-in-subject = Inloggning till Mina sidor i medborgarpanelen i { $municipality }
panel-email-sign-in-body =
    Hej!

    Här är länken för att logga in på Mina sidor. Den fungerar i en timme och kan användas en gång.
panel-email-sign-in-button = Logga in på Mina sidor
panel-email-imported-subject = Inbjudan till medborgarpanelen i { $municipality }
panel-email-imported-body =
    Hej!

    Kommunen bjuder in dig till medborgarpanelen. Som medlem får du några korta enkäter om året om frågor som kommunen ska besluta om. Vi sparar din e-postadress, ditt födelseår, kön, område och språk, och dina svar sparas utan koppling till dig. Du kan gå ur när du vill.

    Vill du vara med bekräftar du med knappen nedan inom 7 dagar. Gör du inte det raderar vi uppgifterna.
panel-email-imported-button = Ja, jag vill vara med
panel-email-renew-subject = Vill du fortfarande vara med i medborgarpanelen i { $municipality }?
panel-email-renew-body =
    Hej!

    Det är några år sedan du sa ja till att vara med i medborgarpanelen. Förnya ditt samtycke inom 30 dagar. Gör du inte det får du inga fler inbjudningar.
panel-email-renew-button = Förnya samtycket
panel-email-goodbye-subject = Du har gått ur medborgarpanelen i { $municipality }
panel-email-goodbye-body =
    Hej!

    Du har nu gått ur medborgarpanelen, och uppgifterna om dig är raderade. Svar som du redan har lämnat sparas utan koppling till dig. Tack för att du var med!
panel-email-goodbye-button = Gå med igen
panel-overview-title = Medborgarpanelen
panel-overview-intro = Antal medlemmar, och hur de aktiva medlemmarna fördelar sig jämfört med befolkningen. Grupper under 80 % eller över 125 % av befolkningsandelen är markerade.
panel-overview-csv = Ladda ner siffrorna (CSV)
panel-overview-status-caption = Medlemmar efter status
panel-overview-status = Status
panel-overview-members = Medlemmar
panel-overview-paused = Aktiva som har paus nu
panel-overview-by-district = Aktiva medlemmar efter område
panel-overview-by-age_band = Aktiva medlemmar efter ålder
panel-overview-by-gender = Aktiva medlemmar efter kön
panel-overview-by-source = Aktiva medlemmar efter rekrytering
panel-overview-group = Grupp
panel-overview-panel-share = Andel av panelen
panel-overview-population-share = Andel av befolkningen
panel-overview-representation = Jämförelse
panel-overview-under = Underrepresenterad
panel-overview-over = Överrepresenterad
panel-overview-even = Ungefär som befolkningen
panel-overview-unknown = Inga befolkningssiffror
panel-members-title = Medlemslista
panel-members-intro = Listan visar personuppgifter. Varje visning loggas.
panel-members-caption = Medlemmar, sida { $page } av { $pages }
panel-members-source = Rekrytering
panel-members-joined = Gick med
panel-members-pages = Sidor i medlemslistan
panel-members-previous = Föregående sida
panel-members-next = Nästa sida
panel-import-title = Importera medlemmar
panel-import-intro = Ladda upp en CSV-fil med kolumnerna email, birth_year, gender, district, language och source, och eventuellt mobile, campaign och education. Alla rader kontrolleras först. De nya medlemmarna får ett e-postmeddelande där de bekräftar att de vill vara med.
panel-import-file = CSV-fil
panel-import-file-hint = source är self, register, event eller import. gender är female, male eller other.
panel-import-skip-invalid = Importera de giltiga raderna även om några har fel
panel-import-button = Importera
panel-import-done = { $count } medlemmar har importerats och fått e-post.
panel-import-failed-heading = Ingen har importerats. Rätta detta och ladda upp filen igen:
panel-import-skipped-heading = De här raderna hoppades över:
panel-import-problem = Rad { $line } ({ $column }): { $message }
panel-import-error-no-file = Välj en CSV-fil.
panel-import-error-not-csv = Raden kan inte läsas som CSV.
panel-import-error-header = Första raden måste innehålla kolumnerna email, birth_year, gender, district, language och source.
panel-import-error-empty = Filen har inga rader.
panel-import-error-source = Källan måste vara self, register, event eller import.
panel-import-error-repeated = E-postadressen finns flera gånger i filen.
panel-import-error-exists = E-postadressen är redan med i panelen och ändras inte.
panel-import-error-campaign = Kampanjnamnet får ha högst 100 tecken.
nav-panel = Medborgarpanelen
panel-home-join = Gå med i panelen
panel-home-sign-in = Logga in på Mina sidor

panel-confirm-title = Bekräfta medlemskapet
panel-confirm-intro = Du är nästan med i medborgarpanelen i { $municipality }. Tryck på knappen för att bekräfta att e-postadressen är din.
panel-confirm-button = Bekräfta medlemskapet
panel-link-sign-in-title = Logga in på Min sida
panel-link-sign-in-intro = Tryck på knappen för att logga in på Min sida i medborgarpanelen i { $municipality }.
panel-link-sign-in-button = Gå till Min sida
