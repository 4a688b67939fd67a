# Entry points for people; the work is done by meson (user space), kbuild (driver)
# and the scripts in tools/.
#   make demo    install deps, build, show napitune working
#   make check   install deps, build, run every test suite (what CI runs)

.PHONY: all build deps demo check driver clean

all: build

deps:
	tools/install-deps.sh

build:
	@[ -f build/build.ninja ] || meson setup build
	meson compile -C build

driver:
	$(MAKE) -C driver

demo:
	tools/demo.sh

check:
	tools/check.sh

clean:
	rm -rf build build-asan
	-[ -f driver/Makefile ] && $(MAKE) -C driver clean
