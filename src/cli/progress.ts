import cliProgress from 'cli-progress';

/** Progress of a long command: `done` of `total`, and what is being done now (a file name…). */
export type Progress = (done: number, total: number, detail?: string) => void;

/**
 * A progress bar on a terminal (stderr, redrawn in place by cli-progress); elsewhere (a log, CI)
 * one line per step that names what it does, and nothing for steps that do not.
 */
export function progressBar(stream: NodeJS.WriteStream, label: string): Progress {
  if (!stream.isTTY) {
    return (done, total, detail) => {
      if (detail) stream.write(`[${Math.min(done + 1, total)}/${total}] ${detail}\n`);
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {value}/{total} {percentage}% {detail}`, barsize: 24, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return (done, total, detail = '') => {
    if (!started) {
      bar.start(total, done, { detail });
      started = true;
    } else bar.update(done, { detail });
    if (done >= total) bar.stop();
  };
}
