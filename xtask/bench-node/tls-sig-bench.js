// Times npm `tls-sig-api-v2` (the reference the Tencent conformance vectors came from) with
// the inputs of crates/tencent-usersig/benches/usersig.rs, for docs/performance.md.
//
//   mkdir -p target/bench-node && (cd target/bench-node && npm install tls-sig-api-v2@1.0.2)
//   NODE_PATH=target/bench-node/node_modules node xtask/bench-node/tls-sig-bench.js
//
// or `sh xtask/bench-node/tencent-side-by-side.sh`, which installs the package into the build
// tree and runs this and the criterion bench in one go.
//
// Each case: a warm-up batch, then BATCHES batches of N calls; prints the median and the
// fastest batch in ns per call, by the wall clock and by the process's CPU time (user +
// system, every thread of the process; steadier than the wall clock on a loaded machine).
// The library reads the clock itself (Date.now()).
'use strict';

const TLSSigAPIv2 = require('tls-sig-api-v2');

const SDKAPPID = 1400000000;
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const USER = 'user_0123456789';
const EXPIRE = 86400;
const N = Number(process.env.N || 20000);
const BATCHES = Number(process.env.BATCHES || 9);

const api = new TLSSigAPIv2.Api(SDKAPPID, KEY);

function time(name, f) {
  let sink = 0;
  for (let i = 0; i < N; i++) sink += f().length; // warm-up
  const perCall = [];
  const cpuPerCall = [];
  for (let b = 0; b < BATCHES; b++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += f().length;
    perCall.push(Number(process.hrtime.bigint() - t0) / N);
    const c = process.cpuUsage(c0);
    cpuPerCall.push(((c.user + c.system) * 1000) / N);
  }
  perCall.sort((x, y) => x - y);
  cpuPerCall.sort((x, y) => x - y);
  const median = perCall[perCall.length >> 1];
  const cpuMedian = cpuPerCall[cpuPerCall.length >> 1];
  console.log(
    `${name.padEnd(40)} median ${median.toFixed(0)} ns/call, best ${perCall[0].toFixed(0)};` +
      ` cpu median ${cpuMedian.toFixed(0)}, best ${cpuPerCall[0].toFixed(0)}` +
      ` (${BATCHES} x ${N}, sink ${sink % 10})`,
  );
}

console.log(`node ${process.version}, tls-sig-api-v2 ${require('tls-sig-api-v2/package.json').version}`);
time('genUserSig', () => api.genUserSig(USER, EXPIRE));
time('genPrivateMapKey (room 1234, 255)', () => api.genPrivateMapKey(USER, EXPIRE, 1234, 255));
time('genPrivateMapKeyWithStringRoomID', () =>
  api.genPrivateMapKeyWithStringRoomID(USER, EXPIRE, '1234', 255),
);
