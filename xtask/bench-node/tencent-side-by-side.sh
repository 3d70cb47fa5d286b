#!/bin/sh
# One side-by-side run for docs/performance.md's Tencent section: npm `tls-sig-api-v2`
# (Node) and the `tencent-usersig` criterion bench with the same inputs, Node first and
# again last (so a change in machine load between them shows).
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
echo "== node (first)"
NODE_PATH="$dir/node_modules" node xtask/bench-node/tls-sig-bench.js
echo "== tencent-usersig (criterion medians are the middle figure)"
cargo bench -p tencent-usersig --features hazmat --bench usersig -- \
  --warm-up-time 1 --measurement-time 3 "$@"
echo "== node (last)"
NODE_PATH="$dir/node_modules" node xtask/bench-node/tls-sig-bench.js
