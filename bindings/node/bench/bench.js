'use strict'
// Per-token build time, FFI included, in one run: our 007 build (the
// agora-token compatible call) against npm agora-token, our 006 build against
// npm agora-access-token, and the neutral Provider.issue for reference.
// Rounds alternate the implementations; each result is the median of the
// rounds' per-token times, in wall-clock time and in this process's CPU time
// (user + system: steadier on a shared machine, where other processes take
// turns on the cores; it also counts V8's helper threads, such as the garbage
// collector's). Usage: node bench/bench.js [--rounds N] [--ms M]

const { performance } = require('node:perf_hooks')
const ours = require('../compat')
const ours006 = require('../access-token')
const theirs = require('agora-token')
const theirs006 = require('agora-access-token')
const { Provider } = require('..')

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const ROUNDS = arg('--rounds', 9)
const MS = arg('--ms', 150) // time per implementation per round

const A = '970ca35de60c44645bbae8a215061b33'
const C = '5cfd2fd1755d40ecb72977518be15d3b'
const expireTs = Math.floor(Date.now() / 1000) + 3600
const provider = Provider.agora(A, C)
const request = { uid: 42, room: 'lobby', validitySecs: 3600 }

const impls = {
  'ours 007 (compat buildTokenWithUid)': () => ours.RtcTokenBuilder.buildTokenWithUid(A, C, 'lobby', 42, ours.RtcRole.PUBLISHER, 3600, 3600),
  'agora-token 2.0.6 007': () => theirs.RtcTokenBuilder.buildTokenWithUid(A, C, 'lobby', 42, theirs.RtcRole.PUBLISHER, 3600, 3600),
  'ours 006 (compat buildTokenWithUid)': () => ours006.RtcTokenBuilder.buildTokenWithUid(A, C, 'lobby', 42, ours006.RtcRole.PUBLISHER, expireTs),
  'agora-access-token 2.0.4 006': () => theirs006.RtcTokenBuilder.buildTokenWithUid(A, C, 'lobby', 42, theirs006.RtcRole.PUBLISHER, expireTs),
  'ours 007 (neutral Provider.issue)': () => provider.issue(request).token,
}

/** [wall ns, cpu ns] per call over about `ms` milliseconds (batches of calls between clock reads). */
function measure(fn, ms) {
  let batch = 1
  // Size a batch to about 1 ms.
  for (;;) {
    const t0 = performance.now()
    for (let i = 0; i < batch; i++) fn()
    if (performance.now() - t0 > 1 || batch > 1 << 20) break
    batch *= 2
  }
  let calls = 0
  const cpu0 = process.cpuUsage()
  const start = performance.now()
  let now = start
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) fn()
    calls += batch
    now = performance.now()
  }
  const cpu = process.cpuUsage(cpu0)
  return [((now - start) * 1e6) / calls, ((cpu.user + cpu.system) * 1e3) / calls]
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const wall = Object.fromEntries(Object.keys(impls).map((k) => [k, []]))
const cpu = Object.fromEntries(Object.keys(impls).map((k) => [k, []]))
for (const fn of Object.values(impls)) measure(fn, 50) // warm up (JIT, caches)
for (let r = 0; r < ROUNDS; r++) {
  const names = Object.keys(impls)
  // Alternate the order so that drift and neighbours hit every implementation alike.
  if (r % 2) names.reverse()
  for (const name of names) {
    const [w, c] = measure(impls[name], MS)
    wall[name].push(w)
    cpu[name].push(c)
  }
}

const fmt = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`)
const wallMed = Object.fromEntries(Object.entries(wall).map(([k, v]) => [k, median(v)]))
const cpuMed = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)]))
console.log(`node ${process.version}, ${ROUNDS} rounds of ${MS} ms per implementation; medians per token (wall min-max)`)
console.log(`  ${'implementation'.padEnd(38)} ${'wall'.padStart(10)} ${'cpu'.padStart(10)}`)
for (const name of Object.keys(impls)) {
  const range = `(${fmt(Math.min(...wall[name]))} - ${fmt(Math.max(...wall[name]))})`
  console.log(`  ${name.padEnd(38)} ${fmt(wallMed[name]).padStart(10)} ${fmt(cpuMed[name]).padStart(10)}  ${range}`)
}
const ratio = (m, a, b) => m[a] / m[b]
const O7 = 'ours 007 (compat buildTokenWithUid)'
const T7 = 'agora-token 2.0.6 007'
const O6 = 'ours 006 (compat buildTokenWithUid)'
const T6 = 'agora-access-token 2.0.4 006'
const [w7, c7, w6, c6] = [ratio(wallMed, T7, O7), ratio(cpuMed, T7, O7), ratio(wallMed, T6, O6), ratio(cpuMed, T6, O6)]
console.log(`node bench: 007 ${w7.toFixed(1)}x (cpu ${c7.toFixed(1)}x) faster than agora-token, target >= 8x: ${Math.min(w7, c7) >= 8 ? 'met' : 'MISSED'}; 006 ${w6.toFixed(1)}x (cpu ${c6.toFixed(1)}x) faster than agora-access-token`)
