// Package proc reads what the load tools report about a process from Linux's
// /proc: resident memory as the operator pays it (no collection forced) and
// CPU time.
package proc

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// path names the process's file; pid 0 is this process.
func path(pid int, file string) string {
	if pid == 0 {
		return "/proc/self/" + file
	}
	return fmt.Sprintf("/proc/%d/%s", pid, file)
}

// RSS is the resident memory of process pid in bytes (0 if unknown).
func RSS(pid int) uint64 {
	b, err := os.ReadFile(path(pid, "status"))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			n, _ := strconv.ParseUint(strings.Fields(l)[1], 10, 64)
			return n * 1024
		}
	}
	return 0
}

// CPUSeconds is the user and system CPU time of process pid (0 if unknown).
func CPUSeconds(pid int) float64 {
	b, err := os.ReadFile(path(pid, "stat"))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces): utime and stime
	// are the 12th and 13th, in clock ticks (100 per second).
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	u, _ := strconv.ParseFloat(f[11], 64)
	s, _ := strconv.ParseFloat(f[12], 64)
	return (u + s) / 100
}
