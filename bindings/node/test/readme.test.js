'use strict'
// The root README's Node example, run as written (`node -e` from the
// repository root): it builds and verifies one token of each vendor.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const root = path.join(__dirname, '..', '..', '..')

test.it('the README example builds and verifies a token of each vendor', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
  const block = readme.split('<!-- node-example -->')[1].split('<!-- /node-example -->')[0]
  const code = block.split("node -e '")[1].split("\n'\n")[0]
  const out = execFileSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' })
  assert.deepEqual(out.trim().split('\n'), ['agora 007 verified alice lobby', 'zego 04 verified alice lobby', 'tencent usersig verified alice lobby'])
})
