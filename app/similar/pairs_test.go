package similar

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Labels of the pairs in testdata/groups.txt.
const (
	labelParaphrase = "paraphrase"
	labelSameTopic  = "same-topic"
	labelUnrelated  = "unrelated"
)

type group struct {
	number      int
	theme       string
	a           string
	paraphrases []string
	same        string
}

type pair struct {
	label string
	a, b  string
	// tuning pairs choose the threshold; the others measure it.
	tuning bool
}

func loadGroups(t testing.TB) []group {
	t.Helper()
	f, err := os.Open("testdata/groups.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []group
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "## "):
			fields := strings.Fields(line[3:])
			n, err := strconv.Atoi(fields[0])
			if err != nil || len(fields) != 2 {
				t.Fatalf("bad group line %q", line)
			}
			out = append(out, group{number: n, theme: fields[1]})
		case strings.HasPrefix(line, "A: "):
			out[len(out)-1].a = line[3:]
		case strings.HasPrefix(line, "P: "):
			out[len(out)-1].paraphrases = append(out[len(out)-1].paraphrases, line[3:])
		case strings.HasPrefix(line, "S: "):
			out[len(out)-1].same = line[3:]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, g := range out {
		if g.a == "" || len(g.paraphrases) == 0 || g.same == "" {
			t.Fatalf("group %d is incomplete", g.number)
		}
	}
	return out
}

// labelledPairs derives the pairs as the header of groups.txt describes.
func labelledPairs(t testing.TB) []pair {
	groups := loadGroups(t)
	var out []pair
	for i, g := range groups {
		tuning := g.number%2 == 1
		texts := append([]string{g.a}, g.paraphrases...)
		for x := range texts {
			for y := x + 1; y < len(texts); y++ {
				out = append(out, pair{labelParaphrase, texts[x], texts[y], tuning})
			}
		}
		out = append(out, pair{labelSameTopic, g.a, g.same, tuning}, pair{labelSameTopic, g.paraphrases[0], g.same, tuning})
		for j := i + 1; j < len(groups); j++ {
			if groups[j].theme == g.theme {
				out = append(out, pair{labelSameTopic, g.a, groups[j].a, tuning})
				break
			}
		}
		if other := groups[(i+7)%len(groups)]; other.theme != g.theme {
			out = append(out, pair{labelUnrelated, g.a, other.paraphrases[0], tuning})
		}
	}
	return out
}
