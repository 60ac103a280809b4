# x86sim top-level commands. `make demo` and `make test` do all the set-up on a fresh Debian 12 machine:
# install missing packages (as root), configure, build incrementally, then run.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
X86SIM := build/default/sim/x86sim

.PHONY: deps build build-asan build-fuzz demo test unit-tests asan-tests fuzz scenario-tests bench format clean

deps:
	@tools/install-deps.sh

build/default/build.ninja: | deps
	cmake --preset default
build: deps build/default/build.ninja
	cmake --build --preset default -j $(JOBS)

build/asan/build.ninja: | deps
	cmake --preset asan
build-asan: deps build/asan/build.ninja
	cmake --build --preset asan -j $(JOBS)

build/fuzz/build.ninja: | deps
	cmake --preset fuzz
build-fuzz: deps build/fuzz/build.ninja
	cmake --build --preset fuzz -j $(JOBS)

demo: build
	SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 $(X86SIM) demo

unit-tests: build
	ctest --preset default

asan-tests: build-asan
	ctest --preset asan

fuzz: build-fuzz
	tools/run-fuzzers.sh build/fuzz $(FUZZ_SECONDS)

scenario-tests: build
	SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 $(X86SIM) test scenarios bench/scenarios -j $(JOBS) --junit build/default/scenarios.junit.xml

# Every test and scenario: unit tests (RelWithDebInfo), the same under ASan+UBSan, the fuzzers for a
# bounded time, then every scenario under scenarios/. Ends with CTest's summary of the unit tests.
test: build build-asan build-fuzz
	$(MAKE) --no-print-directory asan-tests
	$(MAKE) --no-print-directory fuzz
	$(MAKE) --no-print-directory scenario-tests
	$(MAKE) --no-print-directory unit-tests

bench: build
	tools/run-bench.sh build/default

format:
	git ls-files '*.cpp' '*.h' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
