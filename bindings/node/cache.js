'use strict'
// A small cache of native builders keyed by (app id, secret), so that an API
// which takes the secret on every call (npm agora-token, ZEGO's sample) hands
// it to Rust once per credential. Bounded: past MAX entries it starts over.

const MAX = 32

class BuilderCache {
  #byApp = new Map()
  #size = 0
  #make
  constructor(make) {
    this.#make = make
  }
  get(appId, secret) {
    let bySecret = this.#byApp.get(appId)
    let builder = bySecret?.get(secret)
    if (builder === undefined) {
      builder = this.#make(appId, secret) // throws for bad credentials: nothing cached
      if (this.#size >= MAX) {
        this.#byApp.clear()
        this.#size = 0
        bySecret = undefined
      }
      if (bySecret === undefined) {
        bySecret = new Map()
        this.#byApp.set(appId, bySecret)
      }
      bySecret.set(secret, builder)
      this.#size += 1
    }
    return builder
  }
  get size() {
    return this.#size
  }
}

module.exports = { BuilderCache, MAX }
