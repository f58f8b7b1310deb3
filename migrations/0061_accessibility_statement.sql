-- The accessibility statement as BITV 2.0 § 12 and the EU model statement
-- (Implementing Decision (EU) 2018/1523) require: conformance status with the
-- known limitations, date and method of the evaluation, feedback (e-mail and
-- telephone come from MITWIRKEN_A11Y_EMAIL / MITWIRKEN_A11Y_PHONE and are shown
-- beside the form), the enforcement procedure, and an explanation in Leichte
-- Sprache. The old text claimed full conformance on the strength of axe alone.
-- A statement an admin has already edited (updated_by set) is left alone.
UPDATE content_blocks SET
 body_de = 'Die Stadt Leipzig ist bemüht, diese Beteiligungsplattform im Einklang mit dem Barrierefreie-Websites-Gesetz des Freistaates Sachsen (BfWebG) und der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei zugänglich zu machen. Maßstab ist die europäische Norm EN 301 549, die die Web Content Accessibility Guidelines (WCAG) 2.1 in der Konformitätsstufe AA umfasst.

Diese Erklärung gilt für die Beteiligungsplattform zum Integrierten Stadtentwicklungskonzept (INSEK) mit allen Seiten, Formularen und Live-Boards.

## Stand der Vereinbarkeit mit den Anforderungen

Diese Website ist wegen der folgenden Unvereinbarkeiten und Ausnahmen **teilweise** mit der BITV 2.0 vereinbar.

## Nicht barrierefreie Inhalte

- **Beiträge und Karten von Nutzerinnen und Nutzern:** Was Teilnehmende schreiben, prüfen wir nicht auf Barrierefreiheit (zum Beispiel verständliche Sprache oder Abkürzungen). Es ist als deutscher Text ausgezeichnet, damit Screenreader es richtig vorlesen.
- **Englische Seiten:** Die Bedienung gibt es auf Deutsch und Englisch. Inhalte wie der Entwurf, Veranstaltungstexte und Beiträge sind nur auf Deutsch; sie sind als deutscher Text ausgezeichnet.
- **Heruntergeladene Dateien:** Exporte (XLSX, CSV, JSON) und der als PDF gedruckte Beteiligungsbericht sind nicht auf Barrierefreiheit geprüft. Alle Zahlen stehen auch als Tabellen auf den Seiten.
- **Nachweis der Auslosung:** Die technischen Angaben zur Prüfung einer Auslosung (Prüfsummen, Datei DRAW.json) gibt es nur in Fachsprache. Das Ergebnis selbst ist in einfacher Sprache erklärt.

Wir arbeiten daran, diese Einschränkungen zu beheben oder Alternativen anzubieten.

## Erstellung dieser Erklärung

Diese Erklärung wurde am 4. Dezember 2026 erstellt. Sie beruht auf einer Selbstbewertung:

- Jeder Seitentyp wird bei jeder Änderung der Software automatisch auf Deutsch und Englisch mit axe-core (WCAG 2.1 A und AA und bewährte Praxis) und mit dem Nu HTML Checker geprüft.
- Im Herbst 2026 hat eine unabhängige Prüfung alle Seiten als Gast, Teilnehmende, Moderation und Verwaltung aufgerufen, alle Abläufe mit der Tastatur und ohne JavaScript durchgespielt, die Darstellung bei 320 Pixel Breite und mit vergrößerten Textabständen, den Ausdruck und jede Bildschirmansicht geprüft. Die gefundenen Mängel wurden behoben und sind in automatische Tests eingegangen.

Die Erklärung wird bei jeder wesentlichen Änderung, mindestens einmal im Jahr, überprüft.

## Feedback und Kontaktangaben

Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen, oder brauchen Sie Informationen aus dieser Website in einer anderen Form? Schreiben Sie uns eine E-Mail, rufen Sie uns an oder nutzen Sie das Formular unten. Wir antworten innerhalb von sechs Wochen.

## Durchsetzungsverfahren

Wenn Sie auf Ihre Rückmeldung innerhalb von sechs Wochen keine oder keine zufriedenstellende Antwort erhalten, können Sie sich an die Durchsetzungsstelle des Freistaates Sachsen beim Beauftragten der Sächsischen Staatsregierung für die Belange von Menschen mit Behinderungen wenden: [www.behindertenbeauftragter.sachsen.de](https://www.behindertenbeauftragter.sachsen.de). Das Verfahren ist kostenlos, und Sie brauchen keinen Rechtsbeistand.

Für Websites von Bundesbehörden ist stattdessen die Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz (BGG) zuständig: [www.schlichtungsstelle-bgg.de](https://www.schlichtungsstelle-bgg.de).

## In Leichter Sprache

Diese Internet-Seite soll für alle gut nutzbar sein.
Auch für Menschen mit Behinderung.
Das ist ein Gesetz.

Wir haben die Seite geprüft.
Das meiste ist gut.
Ein paar Sachen sind noch nicht gut:

- Manche Texte haben andere Menschen geschrieben.
  Diese Texte prüfen wir nicht.
- Manche Dateien zum Herunter-Laden sind nicht geprüft.

Finden Sie ein Problem auf der Seite?
Dann sagen Sie es uns.
Sie können uns schreiben oder anrufen.
Oder Sie nutzen das Formular unten.

Wir antworten nicht?
Oder die Antwort hilft Ihnen nicht?
Dann können Sie sich beschweren.
Die Beschwerde-Stelle ist beim Beauftragten für Menschen mit Behinderungen in Sachsen.
Das kostet nichts.',
 body_en = 'The City of Leipzig strives to make this participation platform accessible in accordance with the Saxon accessible websites act (BfWebG) and the German accessible IT regulation (BITV 2.0). The standard is the European norm EN 301 549, which includes the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA.

This statement applies to the participation platform for the integrated urban development concept (INSEK) with all its pages, forms and live boards.

## Compliance status

This website is **partially** compliant with BITV 2.0 due to the non-compliances and exemptions listed below.

## Non-accessible content

- **Contributions and cards written by participants:** we do not check what participants write for accessibility (for example plain language or abbreviations). It is marked as German text so that screen readers read it correctly.
- **English pages:** the interface is available in German and English. Content such as the draft, event descriptions and contributions is in German only; it is marked as German text.
- **Downloaded files:** exports (XLSX, CSV, JSON) and the participation report printed as PDF have not been checked for accessibility. All figures are also shown as tables on the pages.
- **Proof of a draw:** the technical details for checking a draw (checksums, the file DRAW.json) are only available in technical language. The result itself is explained in plain language.

We are working on removing these limitations or offering alternatives.

## Preparation of this statement

This statement was prepared on 4 December 2026. It is based on a self-assessment:

- Every page type is checked automatically on every change of the software, in German and English, with axe-core (WCAG 2.1 A and AA and best practice) and the Nu HTML Checker.
- In autumn 2026 an independent review loaded every page as a guest, participant, moderator and administrator, went through every flow with the keyboard and without JavaScript, and checked the layout at 320 pixels wide and with increased text spacing, the printout and every screen. The defects found were fixed and turned into automated tests.

The statement is reviewed with every major change, at least once a year.

## Feedback and contact information

Have you noticed an accessibility barrier, or do you need information from this website in another format? Write us an email, call us or use the form below. We answer within six weeks.

## Enforcement procedure

If you do not receive a satisfactory answer within six weeks, you can turn to the enforcement body of the Free State of Saxony at the Saxon Government Commissioner for the Interests of People with Disabilities: [www.behindertenbeauftragter.sachsen.de](https://www.behindertenbeauftragter.sachsen.de). The procedure is free of charge and you do not need a lawyer.

For websites of federal authorities, the conciliation body under § 16 of the Disability Equality Act (BGG) is responsible instead: [www.schlichtungsstelle-bgg.de](https://www.schlichtungsstelle-bgg.de).

## In plain English

This website should be easy to use for everyone, including people with disabilities. The law requires it.

We have checked the website. Most of it works well. A few things do not work well yet:

- Some texts were written by other people. We do not check them.
- Some files you can download have not been checked.

Have you found a problem on the website? Tell us. You can write to us or call us, or use the form below.

We do not answer, or the answer does not help you? Then you can complain. The complaints office is at the Saxon commissioner for people with disabilities. It costs nothing.',
 updated_at = '2026-12-04 00:00:00+00:00'
WHERE section = 'page' AND slug = 'barrierefreiheit' AND updated_by IS NULL;
