// The run's result as the very last line, whatever scrolled by before it (jest's own summary spans
// several lines and comes after the reporters): "tests: 757 passed, 0 failed, 5 skipped (25 files) in 220 s".
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const seconds = Math.round((Date.now() - results.startTime) / 1000);
    const broken = results.numRuntimeErrorTestSuites ? `, ${results.numRuntimeErrorTestSuites} file(s) could not run` : '';
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped (${results.numTotalTestSuites} files${broken}) in ${seconds} s`;
    // stdout to a file or pipe is written synchronously on Linux, so it still goes out at exit
    process.once('exit', () => process.stdout.write(`\n${line}\n`));
  }
}
