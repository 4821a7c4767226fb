package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/packbench/packbench/internal/xvfb"
	"github.com/packbench/packbench/logging"
)

// realStart is one start of the real binary, as a user starts it.
type realStart struct {
	firstFrame time.Duration // exec to the first pixels of the window on the screen
	orders     time.Duration // exec to the first frame that shows the first page of orders
	mem        memory        // the process's resident memory a second after that
}

// realStartBench starts the real packbench binary (the GL driver) on an X
// server (Xvfb) runs times, on a data dir of n orders, and watches the
// screen itself: Xvfb keeps its framebuffer in a file (-fbdir), read here
// every few milliseconds. The first frame is the first pixel the window
// puts on the black screen; the orders are on screen at the first change of
// the screen after the app logs that it showed its first page.
func realStartBench(n, runs int) ([]Figure, error) {
	if _, err := exec.LookPath("Xvfb"); err != nil {
		return nil, errors.New("the start-up figures need Xvfb (apt-get install xvfb; make test installs it)")
	}
	work, err := os.MkdirTemp("", "packbench-start-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "packbench")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v: %s", err, out)
	}
	data := filepath.Join(work, "data")
	if err := fillDataDir(data, n); err != nil {
		return nil, err
	}
	config := filepath.Join(work, "config")
	prefs := filepath.Join(config, "fyne", "io.packbench.station")
	if err := os.MkdirAll(prefs, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(prefs, "preferences.json"), []byte(`{"window.width":1024,"window.height":600}`), 0o600); err != nil {
		return nil, err
	}
	fbdir := filepath.Join(work, "fb")
	if err := os.MkdirAll(fbdir, 0o700); err != nil {
		return nil, err
	}
	display, stop, err := xvfb.Start(context.Background(), work, "-fbdir", fbdir, "-br")
	if err != nil {
		return nil, err
	}
	defer stop()
	screen, err := openScreen(filepath.Join(fbdir, "Xvfb_screen0"))
	if err != nil {
		return nil, err
	}
	defer screen.close()
	env := append(os.Environ(), "DISPLAY="+display, "XDG_CONFIG_HOME="+config, "PACKBENCH_KEYCHAIN=file")
	var starts []realStart
	for range runs {
		s, err := startOnce(bin, data, env, screen)
		if err != nil {
			return nil, err
		}
		starts = append(starts, s)
	}
	med := func(f func(realStart) float64) (median, worst float64) {
		v := make([]float64, len(starts))
		for i, s := range starts {
			v[i] = f(s)
		}
		slices.Sort(v)
		return v[len(v)/2], v[len(v)-1]
	}
	frameMed, frameWorst := med(func(s realStart) float64 { return s.firstFrame.Seconds() })
	ordersMed, ordersWorst := med(func(s realStart) float64 { return s.orders.Seconds() })
	rssMed, rssWorst := med(func(s realStart) float64 { return s.mem.total })
	binMed, _ := med(func(s realStart) float64 { return s.mem.binary })
	glMed, _ := med(func(s realStart) float64 { return s.mem.gl })
	cMed, _ := med(func(s realStart) float64 { return s.mem.cHeap })
	goMed, _ := med(func(s realStart) float64 { return s.mem.goAndSQLite })
	ownMed, ownWorst := med(func(s realStart) float64 { return s.mem.total - s.mem.gl - s.mem.cHeap })
	how := fmt.Sprintf("the real binary (GL) on Xvfb at 1024x600, %d orders, median of %d; exec to the pixels on the X server's screen", n, runs)
	return []Figure{
		{Name: "start-up: exec to the first frame on screen (" + how + ")", Value: round3(frameMed), Unit: "s",
			Reference: 0.5, RefName: "goal", Ratio: round2(frameMed / 0.5), Goal: "<= 0.5 s", Met: frameMed <= 0.5,
			Note: fmt.Sprintf("worst %.3f s; the data dir's files are in the OS's cache after the first start, as for a packer's second start of the day", frameWorst)},
		{Name: "start-up: exec to the first page of orders on screen", Value: round3(ordersMed), Unit: "s",
			Reference: 0.5, RefName: "goal", Ratio: round2(ordersMed / 0.5), Goal: "<= 0.5 s", Met: ordersMed <= 0.5,
			Note: fmt.Sprintf("worst %.3f s", ordersWorst)},
		{Name: fmt.Sprintf("resident memory of that process at %d orders, a second after the orders are on screen", n), Value: round2(rssMed), Unit: "MB",
			Reference: 150, RefName: "goal", Ratio: round2(rssMed / 150), Goal: "<= 150 MB", Met: rssMed <= 150,
			Note: fmt.Sprintf("worst %.1f MB. Xvfb has no GPU, so GL is drawn in software by Mesa with LLVM: its libraries (%.1f MB) and the C heap (%.1f MB, "+
				"malloc's: Mesa's and X's; Go and SQLite never use it) are about half; the binary's pages %.1f MB, the Go heap with SQLite in it %.1f MB",
				rssWorst, glMed, cMed, binMed, goMed)},
		{Name: "resident memory without the software GL driver (its libraries and the C heap): Packbench's own", Value: round2(ownMed), Unit: "MB",
			Reference: 150, RefName: "goal", Ratio: round2(ownMed / 150), Goal: "<= 150 MB", Met: ownMed <= 150,
			Note: fmt.Sprintf("worst %.1f MB; with a GPU the driver's own libraries take the software driver's place", ownWorst)},
	}, nil
}

// startOnce starts the app, waits for its first page on screen, reads its
// memory, and stops it as a user closing the window would (SIGTERM).
func startOnce(bin, data string, env []string, screen *screen) (realStart, error) {
	var s realStart
	blank := screen.hash()
	logPath := filepath.Join(data, logging.FileName)
	logged := countLines(logPath, "first orders shown")
	app := exec.Command(bin, "--data-dir", data)
	app.Env = env
	out, err := os.Create(filepath.Join(filepath.Dir(data), "app-output.txt"))
	if err != nil {
		return s, err
	}
	defer out.Close()
	app.Stdout, app.Stderr = out, out
	t0 := time.Now()
	if err := app.Start(); err != nil {
		return s, err
	}
	defer xvfb.Stop(app, 30*time.Second)
	// Every change of the screen, with its time; the app's log line says
	// when the first page was handed to the window.
	last, shownAt := blank, time.Duration(0)
	for deadline := t0.Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(4 * time.Millisecond) {
		h := screen.hash()
		at := time.Since(t0)
		if h != last {
			last = h
			if s.firstFrame == 0 {
				s.firstFrame = at
			}
			if shownAt != 0 {
				s.orders = at
				break
			}
		}
		if shownAt == 0 && countLines(logPath, "first orders shown") > logged {
			shownAt = at
		}
	}
	if s.orders == 0 {
		return s, fmt.Errorf("the window showed no orders within a minute (first frame %v, page shown %v)", s.firstFrame, shownAt)
	}
	time.Sleep(time.Second)
	s.mem = processMemory(app.Process.Pid)
	return s, nil
}

func countLines(path, text string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), text) {
			n++
		}
	}
	return n
}

// memory is a process's resident memory, split by where it comes from.
type memory struct {
	total, binary, gl, cHeap, goAndSQLite float64 // MB
}

// processMemory reads /proc/PID/smaps: the whole resident set, the
// binary's own pages, the GL driver's (Mesa's, with LLVM: Xvfb has no GPU,
// so GL is drawn in software) and the private memory (heaps, stacks).
func processMemory(pid int) memory {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return memory{}
	}
	var m memory
	name := ""
	for line := range strings.SplitSeq(string(raw), "\n") {
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			name = ""
			if len(fields) >= 6 {
				name = fields[5]
			}
		case len(fields) >= 2 && fields[0] == "Rss:":
			kb, _ := strconv.Atoi(fields[1])
			mb := float64(kb) / 1024
			m.total += mb
			switch {
			case strings.HasSuffix(name, "/packbench"):
				m.binary += mb
			case strings.Contains(name, "LLVM") || strings.Contains(name, "/dri/") || strings.Contains(name, "libGL"):
				m.gl += mb
			case name == "[heap]":
				m.cHeap += mb // malloc's: the GL driver's and X's; Go and SQLite (modernc) never use it
			case name == "":
				m.goAndSQLite += mb // anonymous mappings: the Go heap, in which modernc's SQLite lives
			}
		}
	}
	return m
}

// screen is Xvfb's framebuffer file (XWD format), mapped into memory.
type screen struct {
	mem           []byte
	data, perLine int
	width, height int
	bytesPerPixel int
}

func openScreen(path string) (*screen, error) {
	var f *os.File
	var err error
	for range 50 {
		if f, err = os.Open(path); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return nil, fmt.Errorf("Xvfb's framebuffer file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, err
	}
	field := func(i int) int { return int(binary.BigEndian.Uint32(mem[i*4:])) }
	s := &screen{mem: mem, perLine: field(12), width: field(4), height: field(5), bytesPerPixel: field(11) / 8}
	s.data = field(0) + field(19)*12 // header, then the colormap
	if s.data+s.perLine*s.height > len(mem) || s.bytesPerPixel == 0 {
		syscall.Munmap(mem)
		return nil, errors.New("Xvfb's framebuffer file is not the XWD image expected")
	}
	return s, nil
}

// hash sums every fourth pixel of every fourth line (a glyph is wider and
// taller than that): cheap enough not to slow the app it watches.
func (s *screen) hash() uint64 {
	var h uint64 = 14695981039346656037
	for y := 0; y < s.height; y += 4 {
		row := s.mem[s.data+y*s.perLine:]
		for x := 0; x < s.width; x += 4 {
			i := x * s.bytesPerPixel
			h = (h ^ uint64(row[i]) ^ uint64(row[i+1])<<8 ^ uint64(row[i+2])<<16) * 1099511628211
		}
	}
	return h
}

func (s *screen) close() { _ = syscall.Munmap(s.mem) }
