#!/bin/sh
# Builds the C peers of the benchmark:
#   bench/build/native            gcc -O2 driver (bench/c/native.c + cpumap.c): the C peer
#   bench/build/native-libperf    the same driver on libperf-algo.c: libperf's algorithms
#   bench/build/cpumap-emcc.wasm  emcc -O3 standalone wasm of cpumap.c, no JS glue
# Installs nothing.  A missing compiler skips its output with a message
# (bench/run.mjs then leaves that column out); exit status 1 only when a
# compiler that is present fails, or when neither is present.
# Run from anywhere: paths are relative to the repository root.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p bench/build
built=0

if command -v gcc >/dev/null 2>&1; then
	gcc -O2 -Wall -Wextra -o bench/build/native bench/c/native.c bench/c/cpumap.c
	echo "built bench/build/native ($(wc -c <bench/build/native) bytes)"
	gcc -O2 -Wall -Wextra -o bench/build/native-libperf bench/c/native.c bench/c/libperf-algo.c
	echo "built bench/build/native-libperf ($(wc -c <bench/build/native-libperf) bytes)"
	built=$((built + 1))
else
	echo "build.sh: gcc not found on PATH: no native C column (Debian: apt-get install gcc)" >&2
fi

# NODE_PATH: Debian's emcc needs node-acorn from /usr/share/nodejs, which
# NodeSource's node does not search.
# STANDALONE_WASM + --no-entry: no JS glue (emscripten 3.1.6 glue breaks on
# Node 20); the loader must call _initialize() first.  With memory growth
# the module imports env.emscripten_notify_memory_growth (a no-op will do).
# INITIAL_MEMORY must exceed the stack, hence TOTAL_STACK=64KB (the mask
# formatter keeps a 4 KiB bitmap on the stack).
if command -v emcc >/dev/null 2>&1; then
	NODE_PATH=/usr/share/nodejs emcc -O3 bench/c/cpumap.c -o bench/build/cpumap-emcc.wasm \
		-sSTANDALONE_WASM --no-entry \
		-sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sTOTAL_STACK=64KB
	echo "built bench/build/cpumap-emcc.wasm ($(wc -c <bench/build/cpumap-emcc.wasm) bytes)"
	built=$((built + 1))
else
	echo "build.sh: emcc not found on PATH: no Emscripten column (Debian: apt-get install emscripten)" >&2
fi

[ "$built" -gt 0 ]
