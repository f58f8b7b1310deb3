package app

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/secure/precis"
)

// CleanDisplayName normalises a pseudonym with the PRECIS Nickname profile
// (RFC 8266): width and compatibility forms folded (NFKC), every kind of
// space mapped to one ASCII space, runs of spaces collapsed, the ends
// trimmed. "AG  INSEK" and "AG\u00a0INSEK" both become "AG INSEK". A name
// the profile refuses is left as CleanLine made it; ValidateDisplayName then
// refuses it.
func CleanDisplayName(name string) string {
	name = CleanLine(name)
	if out, err := precis.Nickname.String(name); err == nil {
		return out
	}
	return name
}

// NameSkeleton is what two pseudonyms are compared by: the UTS #39
// confusable skeleton, restricted to an embedded table of the Cyrillic and
// Greek letters (and digits) that Unicode's confusables.txt maps to Latin
// ones, with case folded. "Moderatiоn" with a Cyrillic о has the skeleton of
// "Moderation".
func NameSkeleton(name string) string {
	name = CleanDisplayName(name)
	// Map, fold case, map again: capitals like Cyrillic М only look Latin
	// as capitals, small letters like Cyrillic о only as small letters.
	return mapConfusables(strings.ToLower(mapConfusables(name)))
}

func mapConfusables(s string) string {
	var b strings.Builder
	for _, r := range s {
		if m, ok := confusables[r]; ok {
			r = m
		}
		b.WriteRune(r)
	}
	return b.String()
}

// confusables is the Latin/Cyrillic/Greek part of Unicode's confusables.txt
// (version 15.1) that matters for names, mapped to the prototype's Latin
// letter. Like UTS #39, 1 and | have the prototype l, and 0 is O; case is
// folded (unlike UTS #39), so I and l stay apart.
var confusables = map[rune]rune{
	// Cyrillic capitals and small letters.
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T',
	'Х': 'X', 'У': 'Y', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S', 'Ԁ': 'd', 'Ԛ': 'Q', 'Ԝ': 'W', 'Ү': 'Y', 'Ӏ': 'l',
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's',
	'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l', 'ү': 'y', 'ё': 'ë', 'ї': 'ï', 'ɡ': 'g',
	// Greek capitals and small letters.
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O',
	'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'ο': 'o', 'α': 'a', 'ν': 'v', 'ρ': 'p', 'ι': 'i', 'κ': 'k',
	'υ': 'u', 'ϲ': 'c', 'ϳ': 'j',
	// Latin look-alikes among themselves.
	'1': 'l', '|': 'l', '0': 'O', 'ı': 'i', 'ſ': 'f',
}

var reservedSkeletons = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range []string{"gelöschtes Konto", "deleted account", "AG INSEK", "Moderation", "Administrator", "Admin", "Moderator"} {
		m[NameSkeleton(r)] = true
	}
	return m
}()

func isReservedName(name string) bool { return reservedSkeletons[NameSkeleton(name)] }

// validNickname reports whether the PRECIS Nickname profile accepts name
// as it stands (after CleanDisplayName it must be unchanged).
func validNickname(name string) bool {
	out, err := precis.Nickname.String(name)
	return err == nil && out == name && utf8.ValidString(name)
}
