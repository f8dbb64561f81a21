# Waarborg: the two commands a newcomer needs are `make run` and `make test`.
JOBS ?= 2
BUILD ?= build
PORT ?= 8080
DATA ?= data

.PHONY: all deps build run test test-sanitize e2e bench bench-dashboard clean

all: build

$(BUILD)/.deps-ok: scripts/deps.sh package.json
	./scripts/deps.sh

deps:
	./scripts/deps.sh

$(BUILD)/CMakeCache.txt: $(BUILD)/.deps-ok
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/waarborg serve --port $(PORT) --data $(DATA) --demo

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: $(BUILD)/.deps-ok
	cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DWAARBORG_SANITIZE=ON -DWAARBORG_E2E=OFF
	cmake --build build-sanitize -j $(JOBS)
	cd build-sanitize && ctest --output-on-failure -j $(JOBS)

bench: build
	./bench/run_case_bench.sh

# The dashboards at 1,000,000 cases (issue 5 §6): seeds /tmp/waarborg-dashboard-bench
# (about 7 GB, 20-25 minutes) when it is not there yet.
bench-dashboard: build
	./bench/run_dashboard_bench.sh

clean:
	rm -rf $(BUILD) build-sanitize
