package app

// Stadtbezirk is one of Leipzig's ten boroughs (official number 0–9).
type Stadtbezirk struct {
	Code string
	Name string
}

// TableName keeps gorm on the table created by the migration.
func (Stadtbezirk) TableName() string { return "stadtbezirke" }

// Ortsteil is one of the 63 localities; the first digit of its official
// number is its Stadtbezirk.
type Ortsteil struct {
	Code            string
	Name            string
	StadtbezirkCode string
}

// TableName keeps gorm on the table created by the migration.
func (Ortsteil) TableName() string { return "ortsteile" }

// Zielfeld is one of the four goal fields of "2030 – Leipzig wächst nachhaltig!".
type Zielfeld struct {
	Code     string
	Position int
	NameDE   string `gorm:"column:name_de"`
	NameEN   string `gorm:"column:name_en"`
}

// TableName keeps gorm on the table created by the migration.
func (Zielfeld) TableName() string { return "zielfelder" }

// Handlungsschwerpunkt is one of the six priorities of a Zielfeld.
type Handlungsschwerpunkt struct {
	Code         string
	ZielfeldCode string
	Position     int
	NameDE       string `gorm:"column:name_de"`
	NameEN       string `gorm:"column:name_en"`
}

// TableName keeps gorm on the table created by the migration.
func (Handlungsschwerpunkt) TableName() string { return "handlungsschwerpunkte" }

// Theme is an INSEK theme or a cross-cutting theme.
type Theme struct {
	Code         string
	Position     int
	NameDE       string `gorm:"column:name_de"`
	NameEN       string `gorm:"column:name_en"`
	CrossCutting bool
}

// TableName keeps gorm on the table created by the migration.
func (Theme) TableName() string { return "themes" }

// Name returns the name in the given language, German when there is none.
func (z Zielfeld) Name(lang string) string { return pick(lang, z.NameDE, z.NameEN) }

// Name returns the name in the given language, German when there is none.
func (h Handlungsschwerpunkt) Name(lang string) string { return pick(lang, h.NameDE, h.NameEN) }

// Name returns the name in the given language, German when there is none.
func (t Theme) Name(lang string) string { return pick(lang, t.NameDE, t.NameEN) }

func pick(lang, de, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return de
}

// pickLang is the language of what pick returns.
func pickLang(lang, en string) string {
	if lang == "en" && en != "" {
		return "en"
	}
	return "de"
}
