// The run's result as one last line, whatever scrolled by before it (jest's own summary spans several):
// "tests: 512 passed, 0 failed, 2 skipped (27 files) in 312 s".
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const seconds = Math.round((Date.now() - results.startTime) / 1000);
    const broken = results.numRuntimeErrorTestSuites ? `, ${results.numRuntimeErrorTestSuites} file(s) could not run` : '';
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped (${results.numTotalTestSuites} files${broken}) in ${seconds} s\n`,
    );
  }
}
