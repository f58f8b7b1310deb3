-- Reference data of the INSEK process: the official Stadtbezirke and Ortsteile
-- of Leipzig, the goal system "2030 – Leipzig wächst nachhaltig!" and the themes.
CREATE TABLE stadtbezirke (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE ortsteile (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    stadtbezirk_code TEXT NOT NULL REFERENCES stadtbezirke(code)
);

CREATE TABLE zielfelder (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name_de TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE handlungsschwerpunkte (
    code TEXT PRIMARY KEY,
    zielfeld_code TEXT NOT NULL REFERENCES zielfelder(code),
    position INTEGER NOT NULL,
    name_de TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE themes (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name_de TEXT NOT NULL,
    name_en TEXT NOT NULL,
    cross_cutting BOOLEAN NOT NULL DEFAULT FALSE
);

INSERT INTO stadtbezirke (code, name) VALUES
    ('0', 'Mitte'), ('1', 'Nordost'), ('2', 'Ost'), ('3', 'Südost'), ('4', 'Süd'),
    ('5', 'Südwest'), ('6', 'West'), ('7', 'Alt-West'), ('8', 'Nordwest'), ('9', 'Nord');

INSERT INTO ortsteile (code, name, stadtbezirk_code) VALUES
    ('00', 'Zentrum', '0'), ('01', 'Zentrum-Ost', '0'), ('02', 'Zentrum-Südost', '0'),
    ('03', 'Zentrum-Süd', '0'), ('04', 'Zentrum-West', '0'), ('05', 'Zentrum-Nordwest', '0'),
    ('06', 'Zentrum-Nord', '0'),
    ('10', 'Schönefeld-Abtnaundorf', '1'), ('11', 'Schönefeld-Ost', '1'), ('12', 'Mockau-Süd', '1'),
    ('13', 'Mockau-Nord', '1'), ('14', 'Thekla', '1'), ('15', 'Plaußig-Portitz', '1'),
    ('20', 'Neustadt-Neuschönefeld', '2'), ('21', 'Volkmarsdorf', '2'), ('22', 'Anger-Crottendorf', '2'),
    ('23', 'Sellerhausen-Stünz', '2'), ('24', 'Paunsdorf', '2'), ('25', 'Heiterblick', '2'),
    ('26', 'Mölkau', '2'), ('27', 'Engelsdorf', '2'), ('28', 'Baalsdorf', '2'),
    ('29', 'Althen-Kleinpösna', '2'),
    ('30', 'Reudnitz-Thonberg', '3'), ('31', 'Stötteritz', '3'), ('32', 'Probstheida', '3'),
    ('33', 'Meusdorf', '3'), ('34', 'Liebertwolkwitz', '3'), ('35', 'Holzhausen', '3'),
    ('40', 'Südvorstadt', '4'), ('41', 'Connewitz', '4'), ('42', 'Marienbrunn', '4'),
    ('43', 'Lößnig', '4'), ('44', 'Dölitz-Dösen', '4'),
    ('50', 'Schleußig', '5'), ('51', 'Plagwitz', '5'), ('52', 'Kleinzschocher', '5'),
    ('53', 'Großzschocher', '5'), ('54', 'Knautkleeberg-Knauthain', '5'),
    ('55', 'Hartmannsdorf-Knautnaundorf', '5'),
    ('60', 'Schönau', '6'), ('61', 'Grünau-Ost', '6'), ('62', 'Grünau-Mitte', '6'),
    ('63', 'Grünau-Siedlung', '6'), ('64', 'Lausen-Grünau', '6'), ('65', 'Grünau-Nord', '6'),
    ('66', 'Miltitz', '6'),
    ('70', 'Lindenau', '7'), ('71', 'Altlindenau', '7'), ('72', 'Neulindenau', '7'),
    ('73', 'Leutzsch', '7'), ('74', 'Böhlitz-Ehrenberg', '7'), ('75', 'Burghausen-Rückmarsdorf', '7'),
    ('80', 'Möckern', '8'), ('81', 'Wahren', '8'), ('82', 'Lützschena-Stahmeln', '8'),
    ('83', 'Lindenthal', '8'),
    ('90', 'Gohlis-Süd', '9'), ('91', 'Gohlis-Mitte', '9'), ('92', 'Gohlis-Nord', '9'),
    ('93', 'Eutritzsch', '9'), ('94', 'Seehausen', '9'), ('95', 'Wiederitzsch', '9');

INSERT INTO zielfelder (code, position, name_de, name_en) VALUES
    ('lq', 1, 'Leipzig setzt auf Lebensqualität', 'Leipzig focuses on quality of life'),
    ('wb', 2, 'Leipzig besteht im Wettbewerb', 'Leipzig holds its own in competition'),
    ('ss', 3, 'Leipzig schafft soziale Stabilität', 'Leipzig creates social stability'),
    ('in', 4, 'Leipzig stärkt seine Internationalität', 'Leipzig strengthens its international profile');

INSERT INTO handlungsschwerpunkte (code, zielfeld_code, position, name_de, name_en) VALUES
    ('lq1', 'lq', 1, 'Balance zwischen Verdichtung und Freiraum', 'Balance between density and open space'),
    ('lq2', 'lq', 2, 'Qualität im öffentlichen Raum und in der Baukultur', 'Quality of public space and building culture'),
    ('lq3', 'lq', 3, 'Nachhaltige Mobilität', 'Sustainable mobility'),
    ('lq4', 'lq', 4, 'Vorsorgende Klima- und Energiestrategie', 'Precautionary climate and energy strategy'),
    ('lq5', 'lq', 5, 'Erhalt und Verbesserung der Umweltqualität', 'Preserving and improving environmental quality'),
    ('lq6', 'lq', 6, 'Quartiersnahe Kultur-, Sport- und Freiraumangebote', 'Local culture, sport and open-space offers'),
    ('wb1', 'wb', 1, 'Positive Rahmenbedingungen für qualifizierte Arbeitsplätze', 'Good conditions for qualified jobs'),
    ('wb2', 'wb', 2, 'Attraktives Umfeld für Innovation, Gründer und Fachkräfte', 'An attractive environment for innovation, founders and skilled workers'),
    ('wb3', 'wb', 3, 'Vielfältige und stabile Wirtschaftsstruktur', 'A diverse and stable economic structure'),
    ('wb4', 'wb', 4, 'Vorsorgendes Flächen- und Liegenschaftsmanagement', 'Precautionary land and property management'),
    ('wb5', 'wb', 5, 'Leistungsfähige technische Infrastruktur', 'Efficient technical infrastructure'),
    ('wb6', 'wb', 6, 'Vernetzung von Bildung, Forschung und Wirtschaft', 'Linking education, research and business'),
    ('ss1', 'ss', 1, 'Chancengerechtigkeit in der inklusiven Stadt', 'Equal opportunities in the inclusive city'),
    ('ss2', 'ss', 2, 'Gemeinschaftliche Quartiersentwicklung', 'Community-led neighbourhood development'),
    ('ss3', 'ss', 3, 'Bezahlbares Wohnen', 'Affordable housing'),
    ('ss4', 'ss', 4, 'Zukunftsorientierte Kita- und Schulangebote', 'Future-oriented day care and schools'),
    ('ss5', 'ss', 5, 'Lebenslanges Lernen', 'Lifelong learning'),
    ('ss6', 'ss', 6, 'Sichere Stadt', 'Safe city'),
    ('in1', 'in', 1, 'Weltoffene Stadt', 'A cosmopolitan city'),
    ('in2', 'in', 2, 'Vielfältige, lebendige Kultur- und Sportlandschaft', 'A diverse, lively culture and sports scene'),
    ('in3', 'in', 3, 'Interdisziplinäre Wissenschaft und exzellente Forschung', 'Interdisciplinary science and excellent research'),
    ('in4', 'in', 4, 'Attraktiver Tagungs- und Tourismusstandort', 'An attractive location for conferences and tourism'),
    ('in5', 'in', 5, 'Imageprägende Großveranstaltungen', 'Major events that shape the city''s image'),
    ('in6', 'in', 6, 'Globales Denken, lokal verantwortliches Handeln', 'Thinking globally, acting responsibly locally');

INSERT INTO themes (code, position, name_de, name_en, cross_cutting) VALUES
    ('wohnen', 1, 'Wohnen', 'Housing', FALSE),
    ('wirtschaft', 2, 'Wirtschaft', 'Economy', FALSE),
    ('wissenschaft', 3, 'Wissenschaft', 'Science', FALSE),
    ('freiraum-sport', 4, 'Freiraum/Sport', 'Open space/sport', FALSE),
    ('umwelt-klima', 5, 'Umwelt/Klima', 'Environment/climate', FALSE),
    ('bildung', 6, 'Bildung', 'Education', FALSE),
    ('soziales', 7, 'Soziales', 'Social affairs', FALSE),
    ('kultur', 8, 'Kultur', 'Culture', FALSE),
    ('verkehr', 9, 'Verkehr', 'Transport', FALSE),
    ('integration', 10, 'Integration von Migrantinnen und Migranten', 'Integration of migrants', TRUE),
    ('gleichstellung', 11, 'Gleichstellung von Frauen und Männern', 'Equality of women and men', TRUE),
    ('flaechen', 12, 'Flächen/Liegenschaften', 'Land/property', TRUE);
