import cliProgress from 'cli-progress';
import type { Progress } from '../progress.js';

const format = (n: number) => n.toLocaleString('en-US');

/**
 * A bar on a terminal; on anything else (a pipe, a CI log) a plain line at every tenth and at the
 * end, so logs stay readable. Progress goes to stderr: stdout carries results (a CSV, a token).
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  let bar: cliProgress.SingleBar | undefined;
  let done = 0;
  let started = 0;
  return {
    start(label, total) {
      done = 0;
      started = performance.now();
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(10)} [{bar}] {percentage}% | {done}/{all} | {rate}/s | eta {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { done: '0', all: format(total), rate: '0' });
    },
    advance(count) {
      done += count;
      const seconds = (performance.now() - started) / 1000;
      bar?.increment(count, {
        done: format(done),
        rate: format(Math.round(done / Math.max(seconds, 0.001))),
      });
    },
    finish() {
      bar?.stop();
      bar = undefined;
    },
    note(line) {
      if (!bar) {
        stream.write(`${line}\n`);
        return;
      }
      // Clear the bar's line, write ours, and draw the bar again below it.
      stream.clearLine(0);
      stream.cursorTo(0);
      stream.write(`${line}\n`);
      bar.render();
    },
  };
}

function lineProgress(stream: NodeJS.WritableStream): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let nextReport = 0;
  let started = 0;
  const line = () => {
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(done / Math.max(seconds, 0.001));
    stream.write(`${label}: ${format(done)}/${format(total)} (${seconds.toFixed(1)} s, ${format(rate)}/s)\n`);
  };
  return {
    start(name, count) {
      label = name;
      total = count;
      done = 0;
      started = performance.now();
      nextReport = Math.ceil(total / 10);
    },
    advance(count) {
      done += count;
      if (done >= nextReport && done < total) {
        line();
        while (nextReport <= done) nextReport += Math.ceil(total / 10);
      }
    },
    finish() {
      if (label && total > 0) line();
      label = '';
    },
    note(text) {
      stream.write(`${text}\n`);
    },
  };
}
