// agentdrill-pressure: memory pressure inside an agent's container, for the memory-growth fault
// on an agent whose code the drill cannot change. Copied into the container and run there, it
// grows at a steady rate in the container's memory cgroup, so the container's memory climbs as a
// leak would and the kernel's OOM killer acts on the container as in production.
//
//	agentdrill-pressure grow --rate-mb 8 --max-mb 4096 --pidfile /tmp/agentdrill-pressure.pid
//	agentdrill-pressure stop --pidfile /tmp/agentdrill-pressure.pid
//
// Static (CGO off): it needs nothing from the image, which may have no shell at all.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const page = 4096
const tick = 100 * time.Millisecond

func main() {
	if len(os.Args) < 2 {
		fail("usage: agentdrill-pressure grow|stop [flags]")
	}
	flags := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	rate := flags.Float64("rate-mb", 4, "MB per second to allocate and touch")
	max := flags.Float64("max-mb", 4096, "stop growing past this many MB")
	pidfile := flags.String("pidfile", "/tmp/agentdrill-pressure.pid", "where the growing process writes its pid")
	_ = flags.Parse(os.Args[2:])
	switch os.Args[1] {
	case "grow":
		grow(*rate, *max, *pidfile)
	case "stop":
		stop(*pidfile)
	default:
		fail("unknown command " + os.Args[1])
	}
}

// grow allocates rate/10 MB every 100 ms and writes one byte per page, so the memory is resident,
// not merely reserved; it holds everything until it is stopped or killed.
func grow(rateMb, maxMb float64, pidfile string) {
	if rateMb <= 0 || rateMb > 1024 || maxMb <= 0 {
		fail("rate-mb must be in (0, 1024] and max-mb above 0")
	}
	if err := os.WriteFile(pidfile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		fail("cannot write " + pidfile + ": " + err.Error())
	}
	done := make(chan os.Signal, 1)
	signal.Notify(done, syscall.SIGTERM, syscall.SIGINT)
	held := make([][]byte, 0, 1024)
	step := int(rateMb * 1024 * 1024 * tick.Seconds())
	limit := int(maxMb * 1024 * 1024)
	total := 0
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	for {
		select {
		case <-done:
			os.Remove(pidfile)
			return
		case <-ticker.C:
			if total >= limit {
				continue
			}
			chunk := make([]byte, step)
			for i := 0; i < len(chunk); i += page {
				chunk[i] = 1
			}
			held = append(held, chunk)
			total += step
		}
	}
}

func stop(pidfile string) {
	data, err := os.ReadFile(pidfile)
	if err != nil {
		fmt.Println("not running")
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		fail("bad pid file " + pidfile)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		fmt.Println("not running")
		return
	}
	fmt.Println("stopped")
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "agentdrill-pressure: "+message)
	os.Exit(2)
}
