const { it } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// Fails on the first attempt of each execution, passes when run again: a flaky test.
it('talks to a slow service', () => {
  const marker = path.join(os.tmpdir(), `verdict-flaky-${process.env.VERDICT_EXECUTION_ID ?? process.pid}`);
  const seen = fs.existsSync(marker);
  fs.writeFileSync(marker, 'x');
  assert.ok(seen, 'the service timed out (first attempt)');
});
