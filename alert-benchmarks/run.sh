#!/bin/sh
# Builds the benchmarks and runs all of them: JMH grouping throughput, the pipeline end to end against a real
# Elasticsearch node with what each run costs the node, the DingTalk path, scaling with shards and slices, and the
# latency from indexing to the robot. Results: stdout and alert-benchmarks/<build folder>/benchmark-results.md.
# See BENCHMARKS.md. Extra arguments go to the runner, e.g. ./alert-benchmarks/run.sh e2e --errors=100000 --reps=2;
# ./alert-benchmarks/run.sh smoke runs every part at small sizes (under 3 minutes).
set -eu
cd "$(dirname "$0")/.."
FOLDER="${BUILD_FOLDER:-target}"
mvn -B -q -Pbenchmarks -pl alert-benchmarks -am -DskipTests -Dbuild.folder="$FOLDER" package
[ $# -eq 0 ] && set -- all
exec java -Xms2g -Xmx2g -jar "alert-benchmarks/$FOLDER/benchmarks.jar" \
    --out="alert-benchmarks/$FOLDER/benchmark-results.md" "$@"
