-- Editable content: the home page (introduction, phases, formats) and the legal
-- and help pages. Bodies are Markdown; admins edit them in the admin area.
CREATE TABLE content_blocks (
    id {{pk}},
    -- intro, phase, format or page
    section TEXT NOT NULL,
    slug TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    title_de TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    body_de TEXT NOT NULL,
    body_en TEXT NOT NULL DEFAULT '',
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT,
    UNIQUE (section, slug)
);

-- Messages from the feedback form of the accessibility statement (and the contact form).
CREATE TABLE feedback (
    id {{pk}},
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    page_url TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{timestamp}} NOT NULL,
    handled_at {{timestamp}}
);
CREATE INDEX feedback_user ON feedback (user_id);

INSERT INTO content_blocks (section, slug, position, title_de, title_en, body_de, body_en, updated_at) VALUES
('intro', 'home', 0,
 'Leipzig wächst nachhaltig – gestalten Sie mit!',
 'Leipzig grows sustainably – help shape it!',
 'Leipzig schreibt sein **Integriertes Stadtentwicklungskonzept (INSEK)** fort. Das INSEK ist der Plan, mit dem die Stadt festlegt, wie sie sich bis 2030 entwickeln soll: beim Wohnen, bei der Arbeit, beim Verkehr, bei Grünflächen, Bildung, Kultur und vielem mehr.

Die Arbeitsgruppe **AG INSEK** (Stadtplanungsamt und Amt für Stadterneuerung) lädt alle Leipzigerinnen und Leipziger ein, mitzudenken. Hier können Sie sich zu Veranstaltungen anmelden, den Entwurf kommentieren und in future.labs eigene Ideen entwickeln. Jede Anregung wird gelesen, abgewogen und beantwortet.',
 'Leipzig is updating its **integrated urban development concept (INSEK)**. The INSEK is the plan in which the city sets out how it wants to develop until 2030: housing, work, transport, green spaces, education, culture and much more.

The working group **AG INSEK** (city planning office and office for urban renewal) invites everyone in Leipzig to join in. Here you can register for events, comment on the draft and develop your own ideas in future.labs. Every contribution is read, weighed and answered.',
 '2026-01-01 00:00:00+00:00'),

('phase', 'bilanzphase', 1,
 'Bilanzphase',
 'Taking stock',
 'Zuerst schauen wir zurück: Was hat das bisherige Konzept bewirkt? Was hat gut funktioniert, was nicht? Fachleute der Stadt und Akteure aus der Stadtgesellschaft tragen Stärken und Schwächen zusammen.',
 'First we look back: what has the previous concept achieved? What worked well, and what did not? Experts from the city and from civil society collect strengths and weaknesses.',
 '2026-01-01 00:00:00+00:00'),
('phase', 'kernarbeitsphase', 2,
 'Kernarbeitsphase',
 'Core work',
 'Jetzt entsteht das neue Konzept. Die Fachämter schreiben ihre Fachkonzepte neu, und alle Beiträge aus Werkstattgesprächen, Stadtgebietsforen und der Online-Beteiligung fließen ein.',
 'Now the new concept is written. The city departments update their sector concepts, and all contributions from workshops, district forums and the online participation feed into them.',
 '2026-01-01 00:00:00+00:00'),
('phase', 'abstimmung-beschluss', 3,
 'Abstimmung und Beschluss',
 'Consultation and decision',
 'Der Entwurf wird öffentlich diskutiert. Danach wägt die AG INSEK jede Anregung ab und legt das Ergebnis dem Stadtrat zur Entscheidung vor. Sie können nachlesen, was aus Ihrer Anregung geworden ist.',
 'The draft is discussed in public. Then AG INSEK weighs every contribution and submits the result to the city council for its decision. You can read what became of your contribution.',
 '2026-01-01 00:00:00+00:00'),

('format', 'werkstattgespraeche', 1,
 'Werkstattgespräche',
 'Workshop evenings',
 'An etwa sieben Abenden im Stadtbüro sprechen interessierte Bürgerinnen und Bürger mit Fachleuten über ein Thema. Es gibt höchstens 35 Plätze. Wenn sich mehr Menschen anmelden, wird fair und nachvollziehbar ausgelost.',
 'On about seven evenings at the Stadtbüro, interested citizens talk to experts about one topic. There are at most 35 seats. If more people apply, seats are drawn by a fair and verifiable lottery.',
 '2026-01-01 00:00:00+00:00'),
('format', 'stadtgebietsforen', 2,
 'Stadtgebietsforen',
 'District forums',
 'In vier Stadtgebieten (je zwei bis drei Stadtbezirke) beraten Stadtbezirksbeiräte, Ortschaftsräte, Bürger- und Heimatvereine, Initiativen und Multiplikatoren über ihren Teil der Stadt. Die Teilnahme ist auf Einladung.',
 'In four city areas (two to three boroughs each), borough councils, local councils, citizens'' associations, initiatives and multipliers discuss their part of the city. Attendance is by invitation.',
 '2026-01-01 00:00:00+00:00'),
('format', 'fachforum', 3,
 'Fachforum Integrierte Stadtentwicklung',
 'Expert forum on integrated urban development',
 'Vertreterinnen und Vertreter der Stadtratsfraktionen und 30 bis 40 Akteure aus allen Themenfeldern begleiten die Arbeit in vier bis fünf Sitzungen. Die Teilnahme ist auf Einladung.',
 'Representatives of the council groups and 30 to 40 stakeholders from all fields accompany the work in four to five sessions. Attendance is by invitation.',
 '2026-01-01 00:00:00+00:00'),
('format', 'online-beteiligung', 4,
 'Online-Beteiligung',
 'Online participation',
 'Alle können mitmachen: Mit einem kostenlosen Konto können Sie sich zu Veranstaltungen anmelden, Beiträge schreiben und den Beiträgen anderer zustimmen. Öffentlich sichtbar ist nur Ihr selbst gewählter Anzeigename.',
 'Everyone can take part: with a free account you can register for events, write contributions and support the contributions of others. Only the display name you choose is shown publicly.',
 '2026-01-01 00:00:00+00:00'),
('format', 'diskussion-entwurf', 5,
 'Diskussion des Entwurfs',
 'Discussing the draft',
 'Wenn der Entwurf des INSEK fertig ist, können Sie jedes Kapitel und jeden Absatz kommentieren. Die AG INSEK prüft jede Anregung und veröffentlicht, ob und wie sie berücksichtigt wurde.',
 'Once the draft of the INSEK is ready, you can comment on every chapter and every paragraph. AG INSEK examines every contribution and publishes whether and how it was taken into account.',
 '2026-01-01 00:00:00+00:00'),
('format', 'future-labs', 6,
 'future.labs',
 'future.labs',
 'In future.labs arbeiten Interessierte selbst organisiert an Ideen, die über das INSEK hinausreichen – von einer post-fossilen Energiestrategie bis zu Leipzig als Bürgerstadt. Die Labs werden von ihren Nutzerinnen und Nutzern gestaltet und arbeiten auf gemeinsamen Live-Boards.',
 'In future.labs, people organise themselves to work on ideas beyond the INSEK horizon – from a post-fossil energy strategy to Leipzig as a citizens'' city. The labs are shaped by their users and work on shared live boards.',
 '2026-01-01 00:00:00+00:00'),

('page', 'datenschutz', 1,
 'Datenschutzerklärung',
 'Privacy notice',
 '## Wer ist verantwortlich?

Verantwortlich für diese Beteiligungsplattform ist die Stadt Leipzig, Dezernat Stadtentwicklung und Bau, AG INSEK. Die Kontaktdaten der oder des Datenschutzbeauftragten finden Sie im Impressum.

## Welche Daten speichern wir, wozu und wie lange?

- **Konto:** E-Mail-Adresse (für Anmeldung und Benachrichtigungen, nie öffentlich), Anzeigename (öffentlich, ein Pseudonym Ihrer Wahl), Passwort (nur als Argon2id-Hash), optional Ihr Ortsteil (für die Auswertung nach Stadtbezirken). Gespeichert, bis Sie Ihr Konto löschen.
- **Sitzungen:** Zeitpunkt der Anmeldung, letzte Aktivität und Browserkennung, damit Sie sich überall abmelden können. Gelöscht bei Abmeldung, spätestens nach 30 Tagen.
- **Anmeldeversuche:** Fehlgeschlagene Anmeldungen werden als Prüfsumme 24 Stunden lang gespeichert, um Angriffe abzuwehren.
- **E-Mails:** Versandte Nachrichten werden 90 Tage lang gespeichert, damit wir Zustellprobleme klären können.
- **Beiträge:** Ihre Beiträge zu einem öffentlichen Planungsverfahren sind öffentlich und bleiben Teil der Dokumentation des Verfahrens. Wenn Sie Ihr Konto löschen, erscheinen sie unter „gelöschtes Konto“.
- **Veranstaltungen:** Angaben bei der Anmeldung (z. B. Unterstützungsbedarf) werden nur für die Organisation verwendet und nach der Veranstaltung gelöscht.

Rechtsgrundlage ist Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit § 3 SächsDSDG (Beteiligung der Öffentlichkeit an der Stadtentwicklung) und, wo wir Sie darum bitten, Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO).

## Cookies

Wir setzen nur technisch notwendige Cookies: ein Sitzungs-Cookie, ein Schutz-Cookie gegen gefälschte Anfragen und, wenn Sie die Sprache wechseln, ein Sprach-Cookie. Es gibt keine Analyse- oder Werbe-Cookies.

## Ihre Rechte (Art. 15–21 DSGVO)

- **Auskunft (Art. 15):** Unter „Meine Daten“ laden Sie jederzeit alles herunter, was wir über Sie gespeichert haben.
- **Berichtigung (Art. 16):** Ändern Sie Ihre Angaben im Profil.
- **Löschung (Art. 17):** Löschen Sie Ihr Konto im Profil. Ihre persönlichen Daten werden sofort entfernt.
- **Einschränkung (Art. 18)** und **Widerspruch (Art. 21):** Schreiben Sie uns über das Kontaktformular.
- **Datenübertragbarkeit (Art. 20):** Der Download unter „Meine Daten“ ist maschinenlesbar (JSON).
- Sie können sich bei der Sächsischen Datenschutz- und Transparenzbeauftragten beschweren.',
 '## Who is responsible?

This participation platform is run by the City of Leipzig, Department of Urban Development and Construction, AG INSEK. The contact details of the data protection officer are in the imprint.

## What do we store, why and for how long?

- **Account:** email address (for login and notifications, never public), display name (public, a pseudonym of your choice), password (only as an Argon2id hash), optionally your locality (for evaluation by borough). Kept until you delete your account.
- **Sessions:** time of login, last activity and browser name, so that you can log out everywhere. Deleted when you log out, at the latest after 30 days.
- **Login attempts:** failed logins are kept as a checksum for 24 hours to fend off attacks.
- **Emails:** sent messages are kept for 90 days so that we can resolve delivery problems.
- **Contributions:** your contributions to a public planning process are public and remain part of its record. If you delete your account, they appear under "deleted account".
- **Events:** what you tell us when registering (e.g. support needs) is used only to organise the event and deleted afterwards.

The legal basis is Art. 6(1)(e) GDPR together with § 3 SächsDSDG (public participation in urban development) and, where we ask for it, your consent (Art. 6(1)(a) GDPR).

## Cookies

We only use technically necessary cookies: a session cookie, a cookie that protects against forged requests and, if you switch the language, a language cookie. There are no analytics or advertising cookies.

## Your rights (Art. 15–21 GDPR)

- **Access (Art. 15):** under "My data" you can download everything we store about you at any time.
- **Rectification (Art. 16):** change your details in your profile.
- **Erasure (Art. 17):** delete your account in your profile. Your personal data is removed at once.
- **Restriction (Art. 18)** and **objection (Art. 21):** write to us using the contact form.
- **Portability (Art. 20):** the download under "My data" is machine-readable (JSON).
- You may complain to the Saxon data protection and transparency commissioner.',
 '2026-01-01 00:00:00+00:00'),
('page', 'barrierefreiheit', 2,
 'Erklärung zur Barrierefreiheit',
 'Accessibility statement',
 'Die Stadt Leipzig ist bemüht, diese Beteiligungsplattform im Einklang mit dem Barrierefreie-Websites-Gesetz Sachsen und der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei zugänglich zu machen.

## Stand der Vereinbarkeit

Diese Website ist mit den Anforderungen der BITV 2.0 (WCAG 2.1, Konformitätsstufe AA) vereinbar. Jeder Seitentyp wird bei jeder Änderung automatisch mit axe-core geprüft; alle Abläufe funktionieren mit der Tastatur und ohne JavaScript.

## Erstellung dieser Erklärung

Diese Erklärung beruht auf einer Selbstbewertung.

## Feedback und Kontakt

Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Dann schreiben Sie uns über das Formular unten. Ihre Nachricht erreicht die Verantwortlichen der AG INSEK.

## Durchsetzungsverfahren

Wenn Sie auf Ihre Mitteilung keine zufriedenstellende Antwort erhalten, können Sie sich an die Durchsetzungsstelle für Barrierefreiheit des Freistaates Sachsen wenden.',
 'The City of Leipzig strives to make this participation platform accessible in accordance with the Saxon accessible websites act and the German accessible IT regulation (BITV 2.0).

## Compliance status

This website complies with BITV 2.0 (WCAG 2.1, level AA). Every page type is checked automatically with axe-core on every change; all flows work with the keyboard and without JavaScript.

## Preparation of this statement

This statement is based on a self-assessment.

## Feedback and contact

Have you noticed an accessibility barrier? Write to us using the form below. Your message reaches the people responsible at AG INSEK.

## Enforcement procedure

If you do not receive a satisfactory answer, you can contact the enforcement body for accessibility of the Free State of Saxony.',
 '2026-01-01 00:00:00+00:00'),
('page', 'leichte-sprache', 3,
 'Leichte Sprache',
 'Easy language',
 'Leipzig macht einen Plan für die Zukunft.

Der Plan heißt **INSEK**.

In dem Plan steht:

- Wie die Stadt wachsen soll.
- Wo neue Wohnungen hin kommen.
- Wie man gut durch die Stadt fährt.
- Wo es Parks und Spiel-Plätze gibt.

## Sie können mit-machen

Auf dieser Internet-Seite können Sie sagen, was Sie denken.

1. Sie machen ein Konto.
   Dafür brauchen Sie eine E-Mail-Adresse.
2. Sie schreiben Ihre Idee auf.
3. Die Stadt liest Ihre Idee.
4. Die Stadt schreibt Ihnen, was mit Ihrer Idee passiert.

## Treffen

Es gibt auch Treffen.
Dort reden Menschen zusammen über die Stadt.
Sie können sich für ein Treffen anmelden.
Manchmal gibt es nur wenige Plätze.
Dann wird gelost.
Das ist gerecht.

## Ihre Daten

Wir zeigen nur Ihren Namen auf der Seite.
Sie suchen den Namen selbst aus.
Ihre E-Mail-Adresse sieht niemand.
Sie können Ihr Konto jeder-zeit löschen.

## Hilfe

Haben Sie Fragen?
Schreiben Sie uns über das Kontakt-Formular.',
 'Leipzig is making a plan for the future.

The plan is called **INSEK**.

The plan says:

- How the city should grow.
- Where new homes will be built.
- How to get around the city well.
- Where there are parks and playgrounds.

## You can take part

On this website you can say what you think.

1. You make an account.
   You need an email address for this.
2. You write down your idea.
3. The city reads your idea.
4. The city writes to you about what happens with your idea.

## Meetings

There are also meetings.
People talk about the city together there.
You can sign up for a meeting.
Sometimes there are only a few places.
Then there is a draw.
That is fair.

## Your data

We only show your name on the website.
You choose the name yourself.
Nobody sees your email address.
You can delete your account at any time.

## Help

Do you have questions?
Write to us using the contact form.',
 '2026-01-01 00:00:00+00:00'),
('page', 'impressum', 4,
 'Impressum',
 'Imprint',
 '**Stadt Leipzig**
Dezernat Stadtentwicklung und Bau
Stadtplanungsamt / Amt für Wohnungsbau und Stadterneuerung – AG INSEK
Martin-Luther-Ring 4–6
04109 Leipzig

Die Stadt Leipzig ist eine Körperschaft des öffentlichen Rechts. Sie wird vertreten durch den Oberbürgermeister.

**Kontakt:** über das Kontaktformular dieser Plattform.

**Datenschutzbeauftragte(r):** Stadt Leipzig, Datenschutzbeauftragte(r), 04092 Leipzig.

*Dies ist ein Beispieltext der Demo-Installation. Die Betreiberin ersetzt ihn im Verwaltungsbereich.*',
 '**City of Leipzig**
Department of Urban Development and Construction
City planning office / Office for housing and urban renewal – AG INSEK
Martin-Luther-Ring 4–6
04109 Leipzig, Germany

The City of Leipzig is a public-law corporation represented by the Lord Mayor.

**Contact:** via the contact form of this platform.

**Data protection officer:** City of Leipzig, data protection officer, 04092 Leipzig.

*This is an example text of the demo installation. The operator replaces it in the admin area.*',
 '2026-01-01 00:00:00+00:00');
