package seed

import (
	"context"
	"github.com/mitwirken/mitwirken/app/geo"
	"github.com/paulmach/orb"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/store"
)

// DemoDraftSlug is the address of the demo draft document.
const DemoDraftSlug = "insek-2030"

type demoChapter struct {
	slug, title, fachamt, body string
}

// demoChapters is a short, plausible draft of the INSEK Leipzig 2030: Teil A,
// Teil B and the eleven Fachkonzepte, a few paragraphs each. Written for the
// demo; not the city's text.
var demoChapters = []demoChapter{
	{"zielbild", "Teil A: Zielbild 2030", "Stadtplanungsamt (AG INSEK)", `Leipzig wächst. Seit 2010 hat die Stadt jedes Jahr mehr als 10.000 Einwohnerinnen und Einwohner hinzugewonnen. Das Integrierte Stadtentwicklungskonzept (INSEK) beschreibt, wie Leipzig dieses Wachstum bis 2030 nachhaltig gestaltet.

Leitbild ist „Leipzig wächst nachhaltig!“. Die Stadt strebt eine Balance zwischen einer wachsenden und einer nachhaltigen Entwicklung an: Wohnraum, Arbeitsplätze, Bildung und Freiräume sollen mit der Bevölkerung Schritt halten, ohne die natürlichen Lebensgrundlagen zu überfordern.

## Vier Zielfelder

- Leipzig setzt auf Lebensqualität.
- Leipzig besteht im Wettbewerb.
- Leipzig schafft soziale Stabilität.
- Leipzig stärkt seine Internationalität.

Die vier Zielfelder und ihre je sechs Handlungsschwerpunkte bilden das Zielsystem. Alle Fachkonzepte richten ihre Ziele und Maßnahmen daran aus.`},
	{"schwerpunktgebiete", "Teil B: Schwerpunktgebiete und Ortsteilstrategie", "Amt für Wohnungsbau und Stadterneuerung", `Die Stadtentwicklungsstrategie bündelt die Aussagen der Fachkonzepte räumlich. Schwerpunktgebiete sind Stadträume, in denen fachübergreifender Handlungsbedarf besteht und Fördermittel gezielt eingesetzt werden.

Die Schwerpunktgebiete wurden auf Grundlage sozialräumlicher Daten, der Ergebnisse der Stadtgebietsforen und der Fachkonzepte neu abgegrenzt. Dazu gehören unter anderem der Leipziger Osten, Grünau und der Leipziger Westen.

Mit der Ortsteilstrategie trifft das INSEK erstmals Aussagen für alle 63 Ortsteile. Sie beschreibt für jeden Ortsteil Stärken, Herausforderungen und die wichtigsten Handlungsansätze.

| Gebietstyp | Ansatz |
|---|---|
| Schwerpunktgebiet | integrierte Förderung, Quartiersmanagement |
| Beobachtungsgebiet | Monitoring, punktuelle Maßnahmen |
| Konsolidiertes Gebiet | Bestand sichern |`},
	{"wohnen", "Fachkonzept Wohnen", "Amt für Wohnungsbau und Stadterneuerung", `Der Leipziger Wohnungsmarkt hat sich von einem Überangebot zu einem angespannten Markt entwickelt. Der Leerstand ist deutlich gesunken, die Angebotsmieten steigen.

Ziel ist ein ausreichendes und vielfältiges Wohnungsangebot für alle Bevölkerungsgruppen. Bis 2030 sollen jährlich rund 2.000 Wohnungen neu entstehen, davon ein wachsender Anteil mietpreis- und belegungsgebunden.

Die Stadt setzt dafür auf drei Instrumente:

1. ein Baulandmodell, das bei neuem Planungsrecht einen Anteil geförderter Wohnungen sichert,
2. die Vergabe städtischer Grundstücke nach Konzeptqualität,
3. die Unterstützung gemeinschaftlicher Wohnprojekte und Genossenschaften.

Bestehende Quartiere werden behutsam nachverdichtet. Freiräume und soziale Infrastruktur wachsen mit.`},
	{"wirtschaft-arbeit", "Fachkonzept Wirtschaft und Arbeit", "Amt für Wirtschaftsförderung", `Leipzig hat sich zu einem bedeutenden Wirtschaftsstandort in Mitteldeutschland entwickelt. Automobilindustrie, Logistik, Gesundheitswirtschaft und Kreativwirtschaft tragen das Wachstum.

Die Stadt will positive Rahmenbedingungen für qualifizierte Arbeitsplätze schaffen und ein attraktives Umfeld für Gründerinnen, Gründer und Fachkräfte bieten.

Gewerbeflächen werden vorsorgend gesichert. Brachflächen sollen vorrangig wieder genutzt werden, bevor neue Flächen in Anspruch genommen werden.`},
	{"freiraum-umwelt", "Fachkonzept Freiraum und Umwelt", "Amt für Stadtgrün und Gewässer", `Parks, Auwald, Gewässer und Kleingärten prägen Leipzig. Mit dem Wachstum der Stadt steigt der Druck auf diese Flächen.

Ziel ist ein zusammenhängendes Freiraumnetz, das alle Ortsteile erreicht. Jede Leipzigerin und jeder Leipziger soll innerhalb von 500 Metern eine öffentliche Grünfläche vorfinden.

Der Leipziger Auwald wird als einzigartiger Naturraum geschützt und ökologisch aufgewertet.`},
	{"sport", "Fachkonzept Sport", "Amt für Sport", `Sport und Bewegung fördern Gesundheit und Gemeinschaft. Vereine, Schulen und Freizeitsportlerinnen und -sportler brauchen mehr Hallen- und Platzkapazitäten.

Neue Sportstätten werden vorrangig in Verbindung mit Schulneubauten geplant. Bestehende Anlagen sollen saniert und besser ausgelastet werden.

Öffentliche Räume werden so gestaltet, dass sie zu Bewegung einladen: mit Laufstrecken, Spielflächen und frei zugänglichen Sportgeräten.`},
	{"soziale-teilhabe", "Fachkonzept Soziale Teilhabe", "Sozialamt", `Nicht alle profitieren gleichermaßen vom Wachstum. In einigen Ortsteilen konzentrieren sich Arbeitslosigkeit, Kinderarmut und geringe Einkommen.

Ziel ist Chancengerechtigkeit in der inklusiven Stadt. Angebote der sozialen Infrastruktur sollen dort gestärkt werden, wo der Bedarf am größten ist.

Quartiersmanagements und lokale Koordinierungsstellen verbinden Verwaltung, Initiativen und Bewohnerschaft vor Ort.`},
	{"kultur", "Fachkonzept Kultur", "Kulturamt", `Leipzig ist eine Stadt der Musik, der Bücher und der freien Szene. Kultur trägt zur Lebensqualität und zum internationalen Ansehen der Stadt bei.

Die Stadt sichert Räume für Kunst und Kultur, auch in wachsenden Quartieren, in denen Freiflächen und günstige Räume knapper werden.

Stadtteilkulturzentren und Bibliotheken sollen als offene Orte der Begegnung in allen Stadtbezirken erreichbar sein.`},
	{"mobilitaet", "Fachkonzept Nachhaltige Mobilität", "Verkehrs- und Tiefbauamt", `Mehr Einwohnerinnen und Einwohner bedeuten mehr Wege. Der Verkehr soll wachsen, ohne dass Lärm, Abgase und Flächenverbrauch zunehmen.

Ziel ist, dass bis 2030 mindestens 70 Prozent aller Wege zu Fuß, mit dem Rad oder mit Bus und Bahn zurückgelegt werden.

Das Straßenbahnnetz wird erweitert und beschleunigt.

Radwege werden durchgängig, sicher und breit genug für den wachsenden Radverkehr gestaltet.

Straßenräume werden neu aufgeteilt: mehr Platz für Fußgängerinnen und Fußgänger, Bäume und Aufenthalt.`},
	{"klima-energie", "Fachkonzept Klimaschutz und Energie", "Referat Nachhaltige Entwicklung und Klimaschutz", `Leipzig will bis spätestens 2050 klimaneutral werden. Das INSEK verbindet dieses Ziel mit der räumlichen Entwicklung der Stadt.

Neue Quartiere sollen weitgehend mit erneuerbarer Energie versorgt werden. Die Fernwärme wird schrittweise auf klimafreundliche Quellen umgestellt.

Zugleich muss sich die Stadt an heißere Sommer und Starkregen anpassen: mit mehr Grün, entsiegelten Flächen und Wasser in der Stadt.`},
	{"wissenschaft", "Fachkonzept Wissenschaft", "Referat Wissenschaft und Hochschulen", `Universität, Hochschulen und Forschungsinstitute machen Leipzig zu einem Wissenschaftsstandort mit internationaler Ausstrahlung.

Die Stadt unterstützt die Vernetzung von Bildung, Forschung und Wirtschaft, etwa durch Technologie- und Gründerzentren in der Nähe der Hochschulen.

Für Studierende und Forschende aus aller Welt soll Leipzig eine offene und gut erreichbare Stadt bleiben.`},
	{"ordnung-sicherheit", "Fachkonzept Ordnung und kommunale Sicherheit", "Ordnungsamt", `Sicherheit und Sauberkeit im öffentlichen Raum sind wichtige Voraussetzungen für Lebensqualität.

Die Stadt setzt auf Prävention, auf gut gestaltete und belebte öffentliche Räume und auf die Zusammenarbeit von Ordnungsamt, Polizei und Stadtteilakteuren.

Der Stadtordnungsdienst ist in allen Stadtbezirken präsent und ansprechbar.`},
	{"bildung", "Fachkonzept Kommunale Bildungslandschaft", "Amt für Schule", `Die wachsende Zahl von Kindern und Jugendlichen erfordert neue Kitas und Schulen. Bis 2030 entstehen zahlreiche Schulneubauten und -erweiterungen.

Ziel sind zukunftsorientierte Kita- und Schulangebote, die wohnortnah erreichbar sind und sich zum Stadtteil öffnen.

Lebenslanges Lernen wird durch Volkshochschule, Bibliotheken und Angebote freier Träger in allen Stadtbezirken unterstützt.`},
}

// mobilityV2 is a second version of the mobility chapter: one paragraph
// changed, one removed, one added, so that the redline and the note on
// comments about earlier versions can be seen.
const mobilityV2 = `Mehr Einwohnerinnen und Einwohner bedeuten mehr Wege. Der Verkehr soll wachsen, ohne dass Lärm, Abgase und Flächenverbrauch zunehmen.

Ziel ist, dass bis 2030 mindestens 70 Prozent aller Wege zu Fuß, mit dem Rad oder mit Bus und Bahn zurückgelegt werden. Dafür werden Fortschritte jährlich in einem Mobilitätsbericht veröffentlicht.

Radwege werden durchgängig, sicher und breit genug für den wachsenden Radverkehr gestaltet. Schulwege haben dabei Vorrang.

Straßenräume werden neu aufgeteilt: mehr Platz für Fußgängerinnen und Fußgänger, Bäume und Aufenthalt.

Mobilitätsstationen verknüpfen Straßenbahn, Leihräder und Carsharing in allen Stadtbezirken.`

type demoComment struct {
	chapter, paragraph, author, body string
	tags                             []string
	ortsteil                         string
	// point is latitude, longitude and the place in words; the demo
	// authors made these points public (issue 14).
	point *[3]string
}

var demoComments = []demoComment{
	{"wohnen", "p-2", "connewitz@mitwirken.example", "2.000 Wohnungen im Jahr klingen gut, aber entscheidend ist, was sie kosten. Bitte eine feste Quote für Sozialwohnungen in jedem neuen Baugebiet festschreiben, nicht nur „ein wachsender Anteil“.", []string{"ss3", "wohnen"}, "41", &[3]string{"51.3095", "12.3825", "Brachfläche an der Bornaischen Straße"}},
	{"wohnen", "p-7", "plagwitz@mitwirken.example", "Nachverdichtung ja, aber bitte nicht auf Kosten der letzten Innenhöfe mit Bäumen. In Plagwitz sind in den letzten Jahren viele Grünflächen verschwunden.", []string{"lq1", "wohnen"}, "51", &[3]string{"51.3290", "12.3340", "Innenhöfe zwischen Karl-Heine-Straße und Weißenfelser Straße"}},
	{"wohnen", "", DemoCitizenEmail, "Ich vermisse im Kapitel Aussagen zu barrierefreien Wohnungen für ältere Menschen. Viele in Gohlis würden gern in ihrem Viertel bleiben, finden aber keine passende Wohnung.", []string{"ss1", "wohnen"}, "91", nil},
	{"mobilitaet", "p-3", "gruenau@mitwirken.example", "Die Straßenbahn nach Grünau ist zur Hauptverkehrszeit völlig überfüllt. Eine dichtere Taktung der Linien 1 und 15 wäre der schnellste Gewinn.", []string{"lq3", "verkehr"}, "62", &[3]string{"51.3206", "12.2837", "Haltestelle Stuttgarter Allee"}},
	{"mobilitaet", "p-4", "plagwitz@mitwirken.example", "Bitte auch an Fahrradabstellplätze an den Haltestellen denken. Gute Radwege nützen wenig, wenn man das Rad am Ziel nirgends sicher abstellen kann.", []string{"lq3", "verkehr"}, "51", nil},
	{"freiraum-umwelt", "p-2", "connewitz@mitwirken.example", "500 Meter bis zur nächsten Grünfläche sind ein gutes Ziel. Wie wird das gemessen – Luftlinie oder tatsächlicher Fußweg?", []string{"lq6", "freiraum-sport"}, "", nil},
	{"klima-energie", "p-3", DemoCitizenEmail, "Hitze ist schon jetzt ein Problem in der dicht bebauten Innenstadt. Trinkbrunnen und schattige Plätze sollten ausdrücklich im Konzept stehen.", []string{"lq4", "umwelt-klima"}, "00", &[3]string{"51.3406", "12.3747", "Markt"}},
}

// demoDraft adds the demo draft: the document with Teil A, Teil B and the
// eleven Fachkonzepte, an open comment period, comments with replies and
// supports, an input from a Werkstattgespräch, a second version of one
// chapter and published assessments.
func demoDraft(ctx context.Context, s *store.Store) error {
	if _, err := s.DocumentBySlug(ctx, DemoDraftSlug); err == nil {
		return nil
	} else if app.ErrorCode(err) != app.CodeNotFound {
		return err
	}
	admin, err := s.UserByEmail(ctx, DemoAdminEmail)
	if err != nil {
		return err
	}
	moderator, err := s.UserByEmail(ctx, DemoModeratorEmail)
	if err != nil {
		return err
	}
	atlas, err := geo.Default()
	if err != nil {
		return err
	}
	svc := &draft.Service{Store: s, Locate: func(lon, lat float64) (string, string, bool) {
		code, ok := atlas.Locate(orb.Point{lon, lat})
		return code, code, ok
	}}
	doc, err := s.SaveDocument(ctx, admin, 0, app.DocumentInput{
		Title: "INSEK Leipzig 2030 – Entwurf", Slug: DemoDraftSlug, Moderation: app.ModerationPre, Published: true,
		Intro: "Die Stadt Leipzig schreibt ihr Integriertes Stadtentwicklungskonzept fort. Der Entwurf besteht aus dem Zielbild (Teil A), der räumlichen Strategie (Teil B) und elf Fachkonzepten. " +
			"Kommentieren Sie einzelne Absätze oder ganze Kapitel – die AG INSEK wägt jeden Beitrag ab und veröffentlicht, was daraus geworden ist.",
	})
	if err != nil {
		return err
	}
	chapters := map[string]*app.DraftChapter{}
	for i, dc := range demoChapters {
		ch, _, err := svc.SaveChapter(ctx, admin, doc.ID, 0, app.ChapterInput{Title: dc.title, Slug: dc.slug, Fachamt: dc.fachamt, Position: i + 1, Body: dc.body})
		if err != nil {
			return err
		}
		chapters[dc.slug] = ch
	}
	now := s.Now()
	if err := s.AddPeriod(ctx, admin, &app.CommentPeriod{DocumentID: doc.ID, StartsAt: now.Add(-14 * 24 * time.Hour), EndsAt: now.Add(42 * 24 * time.Hour), Label: "Öffentliche Auslegung des Entwurfs"}); err != nil {
		return err
	}
	approve := func(c *app.Contribution) error {
		_, _, err := s.Moderate(ctx, moderator, c.ID, app.ModerationInput{Action: app.ActionApprove})
		return err
	}
	var created []*app.Contribution
	for _, dc := range demoComments {
		u, err := s.UserByEmail(ctx, dc.author)
		if err != nil {
			return err
		}
		in := draft.CommentInput{Body: dc.body, Paragraph: dc.paragraph, Tags: dc.tags, Ortsteil: dc.ortsteil}
		if dc.point != nil {
			in.Lat, in.Lon, in.Place, in.PointPublic = dc.point[0], dc.point[1], dc.point[2], true
		}
		c, err := svc.Comment(ctx, u, chapters[dc.chapter].ID, in)
		if err != nil {
			return err
		}
		if err := approve(c); err != nil {
			return err
		}
		created = append(created, c)
	}
	gohlis, err := s.UserByEmail(ctx, DemoCitizenEmail)
	if err != nil {
		return err
	}
	reply, err := svc.Reply(ctx, gohlis, created[0].ID, draft.CommentInput{Body: "Dem stimme ich zu. Eine feste Quote schafft Planungssicherheit – für die Stadt und für Investoren."})
	if err != nil {
		return err
	}
	if err := approve(reply); err != nil {
		return err
	}
	for _, sup := range []struct {
		who string
		c   *app.Contribution
	}{{DemoCitizenEmail, created[0]}, {"plagwitz@mitwirken.example", created[0]}, {"gruenau@mitwirken.example", created[0]},
		{"connewitz@mitwirken.example", created[3]}, {DemoCitizenEmail, created[3]}, {"gruenau@mitwirken.example", created[1]}} {
		u, err := s.UserByEmail(ctx, sup.who)
		if err != nil {
			return err
		}
		if err := svc.Support(ctx, u, sup.c.ID, true); err != nil {
			return err
		}
	}
	werkstatt, err := svc.Transcribe(ctx, moderator, draft.TranscribeInput{
		Channel: app.ChannelWerkstatt, ChapterID: chapters["mobilitaet"].ID, AuthorLabel: "Teilnehmende des Werkstattgesprächs Mobilität",
		Body: "Mehrere Teilnehmende wünschen sich Mobilitätsstationen, an denen Straßenbahn, Leihrad und Carsharing zusammenkommen – auch außerhalb der Innenstadt.",
		Tags: []string{"lq3", "verkehr"}, Approve: true,
	})
	if err != nil {
		return err
	}
	// A second version of the mobility chapter takes up the Werkstatt input;
	// the comment on the removed tram paragraph now refers to an earlier version.
	mob := demoChapters[8]
	if _, _, err := svc.SaveChapter(ctx, admin, doc.ID, chapters["mobilitaet"].ID, app.ChapterInput{
		Title: mob.title, Slug: mob.slug, Fachamt: mob.fachamt, Position: 9, Body: mobilityV2, Note: "Anregungen aus dem Werkstattgespräch Mobilität aufgenommen",
	}); err != nil {
		return err
	}
	if _, err := svc.Assess(ctx, admin, werkstatt.ID, app.AssessmentInput{Status: app.AssessConsidered, Publish: true, Paragraph: "p-6",
		Fachamt:   "Verkehrs- und Tiefbauamt",
		Reasoning: "Die Anregung wurde aufgenommen: Der Entwurf sieht jetzt Mobilitätsstationen in allen Stadtbezirken vor (Absatz 6 der zweiten Fassung)."}); err != nil {
		return err
	}
	if _, err := svc.Assess(ctx, admin, created[0].ID, app.AssessmentInput{Status: app.AssessPartly, Publish: true,
		Fachamt:   "Amt für Wohnungsbau und Stadterneuerung",
		Reasoning: "Eine feste Quote für alle Baugebiete ist rechtlich nur bei neuem Planungsrecht möglich. Das Baulandmodell legt dort einen Anteil von 30 Prozent geförderter Wohnungen fest; im Bestand wirkt die Stadt über Förderprogramme."}); err != nil {
		return err
	}
	_, err = svc.Answer(ctx, moderator, created[5].ID, "Gemeint ist der tatsächliche Fußweg über öffentlich zugängliche Wege. Die Erreichbarkeit wird mit dem städtischen Wegenetz berechnet.")
	return err
}
