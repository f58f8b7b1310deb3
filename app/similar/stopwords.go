package similar

import "strings"

// stopWords are words that say nothing about what a contribution asks for:
// German function words, the politeness and emphasis every demand carries
// ("bitte", "endlich", "dringend"), and words every INSEK contribution
// shares ("Leipzig", "Stadt"). The list is checked before and after
// stemming, in the spelling foldSpelling produces.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(stopWordList) {
		m[foldSpelling(w)] = true
	}
	return m
}()

const stopWordList = `
der die das den dem des ein eine einer eines einem einen kein keine keiner keines keinem keinen
und oder aber doch sondern denn weil dass daß ob wenn als wie so auch noch nur schon sehr mehr
ich du er sie es wir ihr man mich mir dich dir uns euch sich ihn ihm ihnen
mein meine meiner meinem meinen dein deine sein seine seiner seinem seinen ihre ihrer ihrem ihren
unser unsere unserer unserem unseren euer eure
ist sind war waren wird werden wurde wurden worden sei bin bist seid gewesen
hat haben hatte hatten hätte hätten habe hast
kann können könnte könnten konnte muss müssen müsste müssten musste soll sollen sollte sollten
will wollen wollte würde würden wäre wären darf dürfen dürfte mag möchte möchten
nicht nichts nie
in im ins an am ans auf aus bei beim mit nach von vom vor zu zum zur über unter zwischen durch
für gegen ohne um bis seit während hinter neben entlang statt
hier dort da dann jetzt immer oft wieder bereits
bitte endlich dringend unbedingt wirklich ganz viel viele vielen vieler wenig wenige
alle allen aller alles jede jeder jedes jedem jeden etwas
was wer wo wann warum welche welcher welches welchen dies diese dieser diesem diesen dieses
gibt geben gab etwa zb bzw usw ca
leipzig leipziger stadt
`
