// Package deptest enforces the dependency rules of DESIGN.md §2 in the way
// tailscale's tstest/deptest does: by asking the go tool what each package
// really imports, so a rule cannot rot the way a comment can.
package deptest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/packbench/packbench"

func goTool(t *testing.T) string {
	p, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is not on PATH: %v", err)
	}
	return p
}

// deps lists every package pkg imports, directly or not (tests excluded).
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	cmd := exec.Command(goTool(t), "list", "-tags", "ci", "-deps", "-f", "{{.ImportPath}}", module+"/"+pkg)
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", pkg, err, out)
	}
	return strings.Fields(string(out))
}

func forbid(t *testing.T, pkg string, prefixes ...string) {
	t.Helper()
	for _, d := range deps(t, pkg) {
		for _, p := range prefixes {
			if d == p || strings.HasPrefix(d, p+"/") {
				t.Errorf("%s must not import %s (it imports %s)", pkg, p, d)
			}
		}
	}
}

func TestCoreNeverImportsFyne(t *testing.T) {
	for _, pkg := range []string{"station", "store", "integrations/...", "printing", "logging", "cli"} {
		if strings.HasSuffix(pkg, "/...") {
			cmd := exec.Command(goTool(t), "list", module+"/"+pkg)
			cmd.Dir = "../.."
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go list %s: %v", pkg, err)
			}
			for _, p := range strings.Fields(string(out)) {
				forbid(t, strings.TrimPrefix(p, module+"/"), "fyne.io")
			}
			continue
		}
		forbid(t, pkg, "fyne.io")
	}
}

func TestStationImportsNothingOfOurs(t *testing.T) {
	for _, d := range deps(t, "station") {
		if strings.HasPrefix(d, module+"/") && d != module+"/station" {
			t.Errorf("station must import no other package of this module, but imports %s", d)
		}
	}
}

func TestUITalksOnlyToTheStation(t *testing.T) {
	forbid(t, "ui", module+"/store", module+"/integrations", module+"/printing", module+"/cli")
	// Fyne itself pulls in net/http, so these two are checked on ui's own imports.
	cmd := exec.Command(goTool(t), "list", "-tags", "ci", "-f", `{{join .Imports "\n"}}`, module+"/ui")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ui: %v", err)
	}
	for _, imp := range strings.Fields(string(out)) {
		if imp == "database/sql" || strings.HasPrefix(imp, "net/http") {
			t.Errorf("ui must not import %s: SQL and HTTP belong behind the station", imp)
		}
	}
}
