# Waarborg: the two commands a newcomer needs are `make run` and `make test`.
JOBS ?= 2
BUILD ?= build
PORT ?= 8080
DATA ?= data

.PHONY: all deps build run test test-sanitize e2e bench bench-dashboard bench-monitor clean

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

# Protective Monitoring speed (issue 6 §9, docs/performance.md): the C++ bench on
# 10,000 staff x 40 days (about 5.8 M events, 1.7 GB in /tmp/waarborg-monitor-bench,
# written on the first run), then the pandas version against the C++ engine on a
# 2,000-staff file of the same generator (pandas needs about 10 GB for the large one).
MONITOR_BENCH_DIR ?= /tmp/waarborg-monitor-bench
bench-monitor: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target monitor_bench
	$(BUILD)/monitor_bench --events $(MONITOR_BENCH_DIR)/events.jsonl
	$(BUILD)/monitor_bench --staff 2000 --days 40 --events $(MONITOR_BENCH_DIR)/events-2000.jsonl \
	  --export $(MONITOR_BENCH_DIR)/tables-2000 | tee $(MONITOR_BENCH_DIR)/cpp-2000.txt
	/usr/bin/python3 bench/monitor_pandas.py --events $(MONITOR_BENCH_DIR)/events-2000.jsonl \
	  --tables $(MONITOR_BENCH_DIR)/tables-2000 \
	  --cpp-rate $$(sed -n 's/^(c).*median \([0-9]*\) events.*/\1/p' $(MONITOR_BENCH_DIR)/cpp-2000.txt)

clean:
	rm -rf $(BUILD) build-sanitize
