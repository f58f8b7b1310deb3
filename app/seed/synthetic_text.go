package seed

import (
	"math/rand/v2"
	"strings"
)

// Synthetic contribution texts (for `seed --demo --contributions N` and the
// benchmarks): a demand of one theme, a place, a reason and sometimes a
// second thought, in varying words. Like real input, many texts repeat a
// demand for other places and some repeat it almost word for word, so that
// similarity search and exports meet realistic overlap, not eight texts
// repeated 12,500 times.

var syntheticOpenings = []string{
	"", "Bitte ", "Ich wünsche mir: ", "Mein Vorschlag: ", "Wir fordern: ", "Dringend: ", "Anregung aus der Nachbarschaft: ",
	"Als Anwohnerin finde ich, ", "Seit Jahren warten wir darauf: ", "Aus Sicht unseres Vereins gilt: ",
}

var syntheticDemands = []string{
	"mehr Straßenbäume und schattige Plätze in %s",
	"durchgehende, sichere Radwege von %s bis in die Innenstadt",
	"bezahlbare Wohnungen für Familien in %s",
	"den Spielplatz in %s sanieren und um Sportgeräte ergänzen",
	"eine bessere Taktung der Straßenbahn am Abend nach %s",
	"Ateliers und Proberäume in %s dauerhaft sichern",
	"mehr Kita-Plätze in %s, damit Wege kürzer werden",
	"die Grünfläche in %s nicht bebauen, sondern als Park erhalten",
	"Tempo 30 vor der Grundschule in %s",
	"einen Zebrastreifen an der Hauptstraße in %s",
	"eine öffentliche Toilette im Park von %s",
	"mehr Mülleimer und häufigere Leerung in %s",
	"einen Jugendclub mit längeren Öffnungszeiten in %s",
	"einen Seniorentreff mit Mittagstisch in %s",
	"Solaranlagen auf allen Schuldächern in %s",
	"einen Trinkbrunnen auf dem Marktplatz von %s",
	"eine Hundewiese in %s",
	"mehr Fahrradbügel an den Haltestellen in %s",
	"eine Bibliothek mit Lernräumen in %s",
	"Gehwegparken in %s konsequent ahnden",
	"Leerstand in %s erfassen und Eigentümer zur Vermietung bewegen",
	"einen Wochenmarkt am Samstag in %s",
	"Carsharing-Stationen auch in %s",
	"die Sporthalle in %s für Vereine am Abend öffnen",
	"barrierefreie Haltestellen in %s",
	"bessere Beleuchtung der Wege in %s",
	"eine Nachbarschaftsküche im Stadtteilzentrum von %s",
	"Schulhöfe in %s nachmittags für alle Kinder öffnen",
	"Dachbegrünung auf den Neubauten in %s vorschreiben",
	"einen Gemeinschaftsgarten auf der Brache in %s",
	"mehr Sitzbänke entlang der Hauptwege in %s",
	"eine Buslinie am Wochenende bis %s",
	"Fernwärme in %s aus erneuerbaren Quellen",
	"die Kleingärten in %s vor Bebauung schützen",
	"eine Beratungsstelle für Mieterinnen und Mieter in %s",
	"Deutschkurse mit Kinderbetreuung in %s",
	"eine Oberschule für %s und die Nachbarorte",
	"kostenloses Mittagessen an den Grundschulen in %s",
	"weniger Durchgangsverkehr in den Wohnstraßen von %s",
	"einen Wasserspielplatz für heiße Tage in %s",
}

var syntheticReasons = []string{
	"", "Im Sommer ist es dort kaum auszuhalten.", "Viele Familien sind darauf angewiesen.", "Das würde den Stadtteil spürbar aufwerten.",
	"Die Wege sind heute zu lang und zu gefährlich.", "Ältere Menschen haben sonst keine Möglichkeit.", "Andere Städte machen das längst vor.",
	"Seit dem Zuzug vieler junger Familien reicht das Angebot nicht mehr.", "Das stärkt den Zusammenhalt in der Nachbarschaft.",
	"So bleibt das Viertel lebenswert für alle.", "Die Kosten wären im Vergleich gering.", "Kinder brauchen sichere Orte.",
}

var syntheticExtras = []string{
	"", "", "", "Danke für die Möglichkeit, mitzureden!", "Das Thema wurde schon im Stadtbezirksbeirat besprochen.",
	"Gerne beteilige ich mich an einer Werkstatt dazu.", "Bitte die Anwohnerinnen und Anwohner früh einbeziehen.",
	"Eine Zwischenlösung wäre schon ein guter Anfang.",
}

// syntheticText composes one text for the Ortsteil name place.
func syntheticText(r *rand.Rand, place string) string {
	var b strings.Builder
	opening := syntheticOpenings[r.IntN(len(syntheticOpenings))]
	demand := strings.Replace(syntheticDemands[r.IntN(len(syntheticDemands))], "%s", place, 1)
	if opening == "" || strings.HasSuffix(opening, ": ") {
		demand = strings.ToUpper(demand[:1]) + demand[1:]
	}
	b.WriteString(opening)
	b.WriteString(demand)
	b.WriteString(".")
	for _, part := range []string{syntheticReasons[r.IntN(len(syntheticReasons))], syntheticExtras[r.IntN(len(syntheticExtras))]} {
		if part != "" {
			b.WriteString(" ")
			b.WriteString(part)
		}
	}
	return b.String()
}
