# The two commands of README.md: `make demo` runs the main job, `make test` the whole test suite.
# Both set up what is missing first (scripts/bootstrap.sh), so they work on a fresh machine.
.PHONY: demo test bootstrap cpp-test py-test bench

JOBS ?= $(shell nproc)

bootstrap:
	@scripts/bootstrap.sh

demo: bootstrap
	cd /tmp && $(CURDIR)/.venv/bin/python -m loopjit.demo --out $(CURDIR)/mandelbrot.png

cpp-test: bootstrap
	cmake -S . -B build/cpp -G Ninja -DCMAKE_BUILD_TYPE=Release \
	    -DPython_EXECUTABLE=$(CURDIR)/.venv/bin/python >/dev/null
	ninja -C build/cpp -j$(JOBS)
	cd build/cpp && ctest --output-on-failure -j$(JOBS)

py-test: bootstrap
	cd tests/python && $(CURDIR)/.venv/bin/python -m pytest -q -p no:cacheprovider

test: cpp-test py-test

bench: bootstrap
	.venv/bin/python -m bench.run
