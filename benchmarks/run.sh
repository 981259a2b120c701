#!/usr/bin/env bash
# Builds the agent, the sample app and the benchmarks (fetching the OpenTelemetry and JMX exporter
# agents from Maven Central), then runs the overhead benchmarks and the JMH benchmarks.
# Results: benchmarks/target/overhead-results.md and benchmarks/target/jmh-results.txt.
#
#   benchmarks/run.sh                 # everything, full counts (about 30 minutes on 2 cores)
#   benchmarks/run.sh --quick         # tiny counts, to check that it all runs (a few minutes)
#   benchmarks/run.sh startup scrape  # some overhead benchmarks only; no JMH
#   SKIP_BUILD=1 SKIP_JMH=1 benchmarks/run.sh ...
#
# Needs JDK 17+, Maven and /usr/bin/time (Debian package "time") for CPU time and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -ntp -q -Pbenchmarks -DskipTests package
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
java -jar benchmarks/target/benchmarks.jar overhead "$@"

quick=false
for arg in "$@"; do
  [[ "$arg" == --quick ]] && quick=true
  [[ "$arg" != --* && "$arg" != [0-9]* ]] && SKIP_JMH=1
done
if [[ -z "${SKIP_JMH:-}" ]]; then
  if $quick; then
    jmh_counts=(-f 1 -wi 1 -i 1 -w 1 -r 1)
  else
    jmh_counts=()
  fi
  java -jar benchmarks/target/benchmarks.jar jmh "${jmh_counts[@]}" -prof gc \
    -rf text -rff benchmarks/target/jmh-results.txt 'dev.taskmaster.benchmarks.jmh.*'
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
