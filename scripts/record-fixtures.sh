#!/usr/bin/env bash
# Records the real perf.data fixtures of test/fixtures/perf-data with Linux
# perf. Not run by CI: recordings differ from run to run (timestamps, counts,
# free memory) and from machine to machine (CPU count, topology), and the
# tests assert what test/fixtures/perf-data/README.md records for the files
# that are committed. Re-record only on a machine like the one described
# there (x86_64, 2 online CPUs 0-1, perf 6.1), then check every assertion
# against `perf report -D -i FILE` and `perf report -i FILE --header-only -I`.
#
# Usage: scripts/record-fixtures.sh [OUTDIR [NAME...]]
#   OUTDIR  where to write (default: a new temporary directory, printed)
#   NAME    fixture names to record (default: all of them, see below)
# Needs `perf` and permission to count system-wide (root, or
# kernel.perf_event_paranoid <= 0). The commands run inside OUTDIR with
# bare file names, so the command line stored in each file's CMDLINE header
# feature is exactly the one listed in the README.
set -euo pipefail

command -v perf >/dev/null || { echo "perf not found" >&2; exit 1; }

out=${1:-$(mktemp -d)}
shift || true
mkdir -p "$out"
cd "$out"

# One workload for all: short, and the same for every file.
w=(-- sleep 0.05)

record() {
  local name=$1
  case $name in
    # --- the six files from the project's shared fixture folder ---
    stat-all-cpus.data)      perf stat record -o "$name" -a -e task-clock "${w[@]}" ;;
    stat-cpu0-1.data)        perf stat record -o "$name" -C 0,1 -e task-clock,context-switches "${w[@]}" ;;
    stat-cpu1.data)          perf stat record -o "$name" -C 1 -e task-clock "${w[@]}" ;;
    stat-task.data)          perf stat record -o "$name" -e task-clock "${w[@]}" ;;
    stat-all-cpus-pipe.data) perf stat record -o - -a -e task-clock "${w[@]}" > "$name" ;;
    record-all-cpus.data)    perf record -o "$name" -a -e cpu-clock -F 100 "${w[@]}" ;;
    # --- recorded for this project ---
    stat-cpu0.data)          perf stat record -o "$name" -C 0 -e task-clock "${w[@]}" ;;
    stat-per-core.data)      perf stat record -o "$name" -a --per-core -e task-clock "${w[@]}" ;;
    # CPUs that do not exist are accepted by perf 6.1's -C: the counters read
    # "<not supported>" but the CPU map is written as asked, which is the only
    # way to get CPUS and MASK encodings on a 2-CPU machine.
    stat-cpus-0-3.data)      perf stat record -o "$name" -C 0,3 -e task-clock "${w[@]}" ;;
    stat-mask-0-2-4.data)    perf stat record -o "$name" -C 0,2,4 -e task-clock "${w[@]}" ;;
    stat-mask-0-1-32.data)   perf stat record -o "$name" -C 0,1,32 -e task-clock "${w[@]}" ;;
    stat-mask-0-2-4-6-64.data) perf stat record -o "$name" -C 0,2,4,6,64 -e task-clock "${w[@]}" ;;
    # duration_time has its own CPU map [0]; only pipe mode writes it, as an
    # EVENT_UPDATE of kind CPUS.
    stat-duration-pipe.data) perf stat record -o - -a -e duration_time,task-clock "${w[@]}" > "$name" ;;
    # --synth=no -N -B keeps perf record files small (no task/mmap synthesis,
    # no build-id cache, no build ids).
    record-cpu1.data)        perf record -o "$name" --synth=no -N -B -C 1 -e cpu-clock -F 100 "${w[@]}" ;;
    record-cpu1-pipe.data)   perf record -o - --synth=no -N -B -C 1 -e cpu-clock -F 100 "${w[@]}" > "$name" ;;
    # A tracepoint makes pipe-mode perf record write a TRACING_DATA event
    # followed by tracing data that the event's size does not count.
    record-tracepoint-pipe.data) perf record -o - --synth=no -N -B -C 1 -e sched:sched_switch "${w[@]}" > "$name" ;;
    *) echo "unknown fixture: $name" >&2; return 1 ;;
  esac
}

all=(
  stat-all-cpus.data stat-cpu0-1.data stat-cpu1.data stat-task.data
  stat-all-cpus-pipe.data record-all-cpus.data
  stat-cpu0.data stat-per-core.data stat-cpus-0-3.data stat-mask-0-2-4.data
  stat-mask-0-1-32.data stat-mask-0-2-4-6-64.data stat-duration-pipe.data
  record-cpu1.data record-cpu1-pipe.data record-tracepoint-pipe.data
)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")

for name in "${names[@]}"; do
  record "$name" >/dev/null 2>"$name.log" || { cat "$name.log" >&2; exit 1; }
  rm -f "$name.log"
  chmod 644 "$name"
  size=$(stat -c %s "$name")
  [ "$size" -lt 30720 ] || echo "warning: $name is $size bytes (over 30 KB)" >&2
  echo "$name: $size bytes"
  perf report -D -i "$name" 2>/dev/null | grep -E 'PERF_RECORD_CPU_MAP|PERF_RECORD_EVENT_UPDATE' | sed 's/^/  /' || true
done
echo "written to $out"
