// Prints one closing line CI can read ("verdict: N passed, N failed, N skipped"),
// and lists every skipped suite with its reason: a skipped suite never counts as passed.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = new Map();
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') {
          const suite = t.ancestorTitles[0] || t.title;
          skipped.set(suite, (skipped.get(suite) || 0) + 1);
        }
      }
    }
    const out = [];
    if (skipped.size) {
      out.push('Skipped (not counted as passed):');
      for (const [suite, n] of skipped) out.push(`  - ${suite}: ${n} test(s)`);
    }
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    if (out.length) process.stdout.write('\n' + out.join('\n') + '\n');
    const line = `verdict: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
    // Jest prints its own summary after every reporter; the closing line goes out last, at exit.
    process.once('exit', () => require('node:fs').writeSync(1, `\n${line}\n`));
  }
}
module.exports = SummaryReporter;
