#!/bin/sh
# One side-by-side run for docs/performance.md's Tencent section: npm `tls-sig-api-v2`
# (Node) and the `tencent-usersig` criterion bench with the same inputs, then the same
# calls by CPU time (the `build_workload` example; a loaded machine disturbs CPU time less
# than the wall clock), Node first and again last (so a change in load between them shows).
#
#   sh xtask/bench-node/tencent-side-by-side.sh
#
# The npm package goes into the build tree (target/bench-node, git-ignored), never into
# the repository. Run from the workspace root.
set -eu
dir=target/bench-node
if [ ! -d "$dir/node_modules/tls-sig-api-v2" ]; then
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund tls-sig-api-v2@1.0.2)
fi
cargo bench -p tencent-usersig --features hazmat --bench usersig --no-run
cargo build --release -p tencent-usersig --features hazmat --example build_workload
echo "== node (first)"
NODE_PATH="$dir/node_modules" node xtask/bench-node/tls-sig-bench.js
echo "== tencent-usersig (criterion medians are the middle figure)"
cargo bench -p tencent-usersig --features hazmat --bench usersig -- \
  --warm-up-time 1 --measurement-time 3 "$@"
echo "== tencent-usersig CPU time (user + system, best of 5 runs of 200 000 calls)"
for what in usersig pmk pmkstr parse; do
  best=
  for _ in 1 2 3 4 5; do
    t=$( { /usr/bin/time -f "%U %S" target/release/examples/build_workload $what 200000 \
      >/dev/null; } 2>&1 | awk '{ print ($1 + $2) * 1e9 / 200000 }')
    best=$(printf '%s\n%s\n' "$best" "$t" | awk 'NF' | sort -n | head -1)
  done
  echo "$what: cpu best $best ns/call"
done
echo "== node (last)"
NODE_PATH="$dir/node_modules" node xtask/bench-node/tls-sig-bench.js
