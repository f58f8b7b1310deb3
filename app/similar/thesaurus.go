package similar

import "strings"

// synonyms maps the stems of words that name the same thing in INSEK
// contributions to one stem, so that paraphrases share terms: everyday and
// official words ("Kita", "Kindertagesstätte"), abbreviations ("Hbf") and
// the Leipzig nicknames of places ("Karli", "Kulki", "Cossi"). Each line is
// one concept; its first word is the name all others become. The list is
// deliberately general: it must not encode single contributions.
var synonyms = func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(synonymList, "\n") {
		words := strings.Fields(line)
		if len(words) < 2 {
			continue
		}
		canonical := stemWord(words[0])
		for _, w := range words[1:] {
			if s := stemWord(w); s != "" && s != canonical {
				m[s] = canonical
			}
		}
	}
	return m
}()

const synonymList = `
straßenbahn tram trambahn straßenbahnlinie
bus omnibus buslinie
auto autos pkw kfz
fahrrad rad räder fahrräder
radfahrer radfahrende radfahrerin radfahrerinnen radler radlerin
radweg radstreifen radfahrstreifen radverbindung fahrradweg radspur radroute
gehweg bürgersteig fußweg trottoir gehwege
zebrastreifen fußgängerüberweg überweg
ampel lichtsignalanlage ampelschaltung
tempolimit geschwindigkeitsbegrenzung höchstgeschwindigkeit
hauptbahnhof hbf
innenstadt zentrum city stadtzentrum
liebknecht karli
kulkwitz kulki
cospuden cossi
kita kindergarten kindertagesstätte kitas kindergärten kindertagesstätten
kitaplatz kindergartenplatz krippenplatz betreuungsplatz
turnhalle sporthalle halle turnhallen sporthallen hallen
schwimmhalle hallenbad schwimmbad
bibliothek bücherei stadtbibliothek
schulbibliothek schulbücherei
toilette wc klo toiletten
obdachlose wohnungslose obdachlos wohnungslos
senioren seniorinnen rentner rentnerinnen
geflüchtete flüchtlinge asylsuchende
zugewanderte migranten migrantinnen einwanderer
photovoltaik solar pv solaranlage solaranlagen photovoltaikanlage photovoltaikanlagen solarmodule solarmodul
hitze hitzewelle hitzewellen
trockenheit dürre
müll abfall unrat
mülleimer papierkorb papierkörbe abfallbehälter abfalleimer mülltonne
lärm krach
ferienwohnung ferienwohnungen ferienapartment ferienapartments
sozialwohnung sozialwohnungen
wohnheim wohnheime studentenwohnheim studentenwohnheime
erbbaurecht erbpacht erbbaupacht
milieuschutz milieuschutzsatzung erhaltungssatzung
gründach dachbegrünung gründächer
jugendclub jugendhaus jugendtreff jugendzentrum jugendclubs
`

// stemWord runs one word through the analysis of Terms (without synonyms).
func stemWord(w string) string {
	ts := stems(w)
	if len(ts) != 1 {
		return ""
	}
	return ts[0]
}
