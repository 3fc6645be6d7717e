import { Presets, SingleBar } from "cli-progress";

/** Progress bars (cli-progress) on a terminal; silent otherwise (tests, CI logs). */
export interface ProgressBar {
  increment(by: number): void;
  stop(): void;
}

export interface Progress {
  start(label: string, total: number): ProgressBar;
}

export const silentProgress: Progress = {
  start: () => ({ increment: () => {}, stop: () => {} }),
};

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return silentProgress;
  return {
    start(label, total) {
      const bar = new SingleBar(
        {
          format: `${label.padEnd(22)} {bar} {percentage}% | {value}/{total} | {duration_formatted}`,
          stream,
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      );
      bar.start(total, 0);
      return { increment: (by) => bar.increment(by), stop: () => bar.stop() };
    },
  };
}
