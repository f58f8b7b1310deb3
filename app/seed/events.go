package seed

import (
	"context"
	"strconv"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// demoStadtgebiete is an example grouping of the ten Stadtbezirke into four
// Stadtgebiete. The real grouping of the INSEK process is not public; the
// demo marks these as examples everywhere.
var demoStadtgebiete = []struct {
	name    string
	bezirke []string
}{
	{"Nord", []string{"1", "8", "9"}},
	{"Ost", []string{"2", "3"}},
	{"Süd", []string{"0", "4", "5"}},
	{"West", []string{"6", "7"}},
}

const stadtbuero = "Katharinenstraße 1, 04109 Leipzig"

const stadtbueroAccess = "Ebenerdiger Eingang, Aufzug ins Obergeschoss, barrierefreies WC. Eine mobile Induktionsschleife ist vorhanden. Haltestelle Markt (Straßenbahn) und S-Bahn-Station Markt in 3 Minuten Entfernung."

type demoEvent struct {
	title, format, alloc, venue, address, access, description string
	themes                                                    []string
	days, hour, minutes, capacity, open                       int
	gebiet                                                    string
	stepFree                                                  bool
}

var demoEventList = []demoEvent{
	{title: "Auftakt INSEK 2030: Leipzig wächst nachhaltig!", format: "auftaktveranstaltung", alloc: "first_come",
		venue: "Neues Rathaus, Festsaal", address: "Martin-Luther-Ring 4–6, 04109 Leipzig", stepFree: true,
		access: "Zugang über den Eingang Lotterstraße mit Rampe, Aufzug zum Festsaal, Induktionsschleife im Saal.",
		description: "Mit der Auftaktveranstaltung beginnt die Fortschreibung des Integrierten Stadtentwicklungskonzepts. " +
			"Die AG INSEK stellt die Bilanz vor und lädt ein, in den Werkstattgesprächen, Stadtgebietsforen und online mitzuarbeiten.\n\n" +
			"**Ablauf:** Begrüßung durch den Oberbürgermeister, Bilanz der Stadtentwicklung, Marktplatz der Themen mit den Fachämtern.",
		themes: []string{"wohnen", "wirtschaft", "verkehr", "umwelt-klima"}, days: 14, hour: 14, minutes: 240, capacity: 250},
	{title: "Fachforum Integrierte Stadtentwicklung: Zielbild 2030", format: "fachforum", alloc: "invitation",
		venue: "Neues Rathaus, Raum 259", address: "Martin-Luther-Ring 4–6, 04109 Leipzig", stepFree: true,
		access:      "Aufzug vorhanden, barrierefreies WC im Erdgeschoss.",
		description: "Die Fraktionen des Stadtrats und rund 35 Akteure aus allen Themenfeldern beraten das Zielbild 2030. Teilnahme nur mit Einladung.",
		themes:      []string{"flaechen", "gleichstellung", "integration"}, days: 21, hour: 16, minutes: 180, capacity: 45},
	{title: "Werkstattgespräch Wohnen: bezahlbar und gemischt", format: "werkstattgespraech", alloc: "selection",
		venue: "Stadtbüro Leipzig", address: stadtbuero, access: stadtbueroAccess, stepFree: true,
		description: "Wie bleibt Wohnen in einer wachsenden Stadt bezahlbar? Wir sprechen über Neubau, Bestand und gemeinschaftliche Wohnformen. " +
			"Weil die Plätze begrenzt sind, werden sie unter den Bewerbungen ausgelost.",
		themes: []string{"wohnen", "soziales"}, days: 10, hour: 18, minutes: 150, capacity: 35},
	{title: "Werkstattgespräch Mobilität: Wege im wachsenden Leipzig", format: "werkstattgespraech", alloc: "selection",
		venue: "Stadtbüro Leipzig", address: stadtbuero, access: stadtbueroAccess, stepFree: true,
		description: "Radwege, Straßenbahn, Parken, Lieferverkehr: Wie kommen alle gut ans Ziel? Die Plätze werden ausgelost.",
		themes:      []string{"verkehr", "umwelt-klima"}, days: 17, hour: 18, minutes: 150, capacity: 35},
	{title: "Werkstattgespräch Freiraum und Klima", format: "werkstattgespraech", alloc: "selection",
		venue: "Stadtbüro Leipzig", address: stadtbuero, access: stadtbueroAccess, stepFree: true,
		description: "Parks, Stadtbäume, Hitze und Starkregen: Welche Freiräume braucht Leipzig 2030?",
		themes:      []string{"freiraum-sport", "umwelt-klima"}, days: 24, hour: 18, minutes: 150, capacity: 35},
	{title: "future.lab Klimaanpassung im Quartier", format: "future_lab", alloc: "first_come",
		venue: "Westwerk", address: "Karl-Heine-Straße 85–93, 04229 Leipzig",
		access:      "Erdgeschoss, stufenloser Zugang über den Hof. Kein barrierefreies WC im Gebäude.",
		description: "Ein Sommerlabor für alle, die im eigenen Viertel etwas gegen Hitze tun wollen: vom Hofbegrünen bis zur Trinkwasserstelle.",
		themes:      []string{"umwelt-klima", "freiraum-sport"}, days: 35, hour: 10, minutes: 300, capacity: 25},
}

// demoVenuePoints put the demo venues on the map (latitude, longitude,
// read off the city map, about 10 m).
var demoVenuePoints = map[string][2]string{
	"Neues Rathaus, Festsaal":                     {"51.3355", "12.3717"},
	"Neues Rathaus, Raum 259":                     {"51.3355", "12.3717"},
	"Stadtbüro Leipzig":                           {"51.3418", "12.3738"},
	"Westwerk":                                    {"51.3306", "12.3372"},
	"Volkshochschule Leipzig, Außenstelle Gohlis": {"51.3626", "12.3720"},
	"Stadtteilzentrum Leipziger Osten":            {"51.3487", "12.4052"},
	"Stadtteilbibliothek Grünau-Mitte":            {"51.3206", "12.2837"},
}

var demoForen = []struct{ gebiet, venue, address string }{
	{"Nord", "Volkshochschule Leipzig, Außenstelle Gohlis", "Georg-Schumann-Straße 175, 04159 Leipzig"},
	{"Ost", "Stadtteilzentrum Leipziger Osten", "Eisenbahnstraße 66, 04315 Leipzig"},
	{"Süd", "Stadtbüro Leipzig", stadtbuero},
	{"West", "Stadtteilbibliothek Grünau-Mitte", "Stuttgarter Allee 10, 04209 Leipzig"},
}

// demoEvents adds the example Stadtgebiete, events of every format and a few
// registrations. It runs once: an installation with events is left alone.
func demoEvents(ctx context.Context, s *store.Store) error {
	existing, _, err := s.ListEvents(ctx, store.EventFilter{All: true, PerPage: 1})
	if err != nil || len(existing) > 0 {
		return err
	}
	gebiete := map[string]*app.Stadtgebiet{}
	for i, g := range demoStadtgebiete {
		saved, err := s.SaveStadtgebiet(ctx, 0, app.StadtgebietInput{Name: g.name, Position: app.N(i), Example: true, Bezirke: g.bezirke})
		if err != nil {
			return err
		}
		gebiete[g.name] = saved
	}
	list := append([]demoEvent(nil), demoEventList...)
	for i, f := range demoForen {
		list = append(list, demoEvent{
			title: "Stadtgebietsforum " + f.gebiet, format: "stadtgebietsforum", alloc: "invitation", venue: f.venue, address: f.address,
			access: "Barrierefreier Zugang, Induktionsschleife auf Anfrage.", stepFree: true, gebiet: f.gebiet,
			description: "Stadtbezirksbeiräte, Ortschaftsräte, Bürger- und Heimatvereine, Initiativen und Multiplikatoren aus dem Stadtgebiet " +
				f.gebiet + " beraten, was ihre Stadtteile bis 2030 brauchen. Die Ergebnisse fließen in die räumliche Strategie ein. " +
				"Zehn Plätze sind für Bewohnerinnen und Bewohner des Stadtgebiets offen. Die Einteilung der Stadtgebiete ist ein Beispiel.",
			themes: []string{"soziales", "wohnen", "verkehr"}, days: 28 + 7*i, hour: 17, minutes: 180, capacity: 60, open: 10,
		})
	}
	now := s.Now()
	created := map[string]*app.Event{}
	for _, d := range list {
		day := now.In(app.Berlin).AddDate(0, 0, d.days)
		start := time.Date(day.Year(), day.Month(), day.Day(), d.hour, 0, 0, 0, app.Berlin)
		in := app.EventInput{
			Title: d.title, Format: d.format, Description: d.description, Themes: d.themes, Venue: d.venue, Address: d.address,
			VenueAccess: d.access, StepFree: d.stepFree, StartsAt: app.LocalInput(start), Capacity: app.N(d.capacity),
			EndsAt: app.LocalInput(start.Add(time.Duration(d.minutes) * time.Minute)), Allocation: d.alloc, OpenSeats: app.N(d.open),
		}
		if pt, ok := demoVenuePoints[d.venue]; ok {
			in.VenueLatText, in.VenueLonText = pt[0], pt[1]
		}
		if d.alloc == string(app.AllocSelection) {
			in.RegistrationClosesAt = app.LocalInput(start.AddDate(0, 0, -4))
		}
		if g := gebiete[d.gebiet]; g != nil {
			in.StadtgebietID = strconv.FormatInt(g.ID, 10)
		}
		in.Clean()
		if err := in.Validate(now); err != nil {
			return err
		}
		ev, err := s.CreateEvent(ctx, nil, &in)
		if err != nil {
			return err
		}
		created[d.title] = ev
	}
	// A few registrations of the demo citizens.
	regs := []struct {
		email, event string
		in           app.RegistrationInput
	}{
		{DemoCitizenEmail, demoEventList[0].title, app.RegistrationInput{AccessNeeds: []string{app.NeedChildcare}}},
		{"connewitz@mitwirken.example", demoEventList[0].title, app.RegistrationInput{}},
		{"gruenau@mitwirken.example", demoEventList[0].title, app.RegistrationInput{AccessNeeds: []string{app.NeedStepFree}}},
		{DemoCitizenEmail, demoEventList[2].title, app.RegistrationInput{AnswersConsent: true, AnswerOrtsteil: "91", AnswerAge: "30_44"}},
		{"plagwitz@mitwirken.example", demoEventList[2].title, app.RegistrationInput{}},
		{"connewitz@mitwirken.example", demoEventList[3].title, app.RegistrationInput{}},
		{DemoCitizenEmail, "Stadtgebietsforum Nord", app.RegistrationInput{}},
		{"plagwitz@mitwirken.example", demoEventList[5].title, app.RegistrationInput{}},
	}
	for _, r := range regs {
		u, err := s.UserByEmail(ctx, r.email)
		if err != nil {
			return err
		}
		ev := created[r.event]
		reg := &app.Registration{UserID: &u.ID, Kind: app.KindPublic}
		r.in.Clean()
		r.in.ApplyTo(reg)
		err = s.Tx(ctx, func(tx *store.Store) error {
			_, _, err := tx.RegisterSeat(ctx, ev.ID, reg, func(*app.Event) error { return nil },
				func(*store.Store, *app.Event, int) error { return nil })
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
