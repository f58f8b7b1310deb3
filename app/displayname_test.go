package app

import "testing"

// TestLookAlikeNamesAreRefused: the look-alike names of the review (issue
// 11, item 9) are normalised (PRECIS Nickname) and compared by skeleton,
// so reserved names cannot be imitated and "Sec  adm" becomes "Sec adm".
func TestLookAlikeNamesAreRefused(t *testing.T) {
	for _, name := range []string{"AG  INSEK", "AG\u00a0INSEK", "\u0410G INSEK", "Moderati\u043en", "gel\u00f6schtes K\u043ento",
		"Ag Insek", " AG INSEK ", "ADMINISTRAT\u039fR", "Deleted\u2003Account", "Moderat\u0456on", "AG IN\u0405EK"} {
		var v Validator
		ValidateDisplayName(&v, "display_name", CleanDisplayName(name))
		if !v.Has("display_name") {
			t.Errorf("%q (cleaned %q) accepted", name, CleanDisplayName(name))
		}
	}
	if got := CleanDisplayName("Sec  adm"); got != "Sec adm" {
		t.Errorf("CleanDisplayName(Sec  adm) = %q", got)
	}
	if NameSkeleton("Sec adm") != NameSkeleton("S\u0435c  adm") {
		t.Error("Cyrillic e beside Latin e has another skeleton")
	}
	for _, ok := range []string{"Lindenauerin", "Grünauer Jörg", "Connewitzer 2", "Ольга", "Σοφία"} {
		var v Validator
		ValidateDisplayName(&v, "display_name", CleanDisplayName(ok))
		if v.Has("display_name") {
			t.Errorf("%q refused", ok)
		}
	}
}
