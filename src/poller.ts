import type { Logger } from 'pino';

/** A background loop: a round every interval, or at once when woken. */
export interface Poller {
  /** Runs a round now instead of at the next tick (again after the current one, if busy). */
  wake(): void;
  /** Starts the rounds: the first at once, or with `afterInterval` only after one interval. */
  start(options?: { afterInterval?: boolean }): void;
  /** Stops starting rounds and waits for the one in hand. */
  stop(): Promise<void>;
  readonly stopped: boolean;
}

/**
 * Runs `round` every `intervalMs`, never two at once: a wake during a round runs another right
 * after it, and so does a round that answers true (it left work behind). A failing round is
 * logged and the loop goes on.
 */
export function createPoller(
  intervalMs: number,
  logger: Logger,
  name: string,
  round: () => Promise<boolean | undefined>,
): Poller {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  const loop = async () => {
    do {
      again = false;
      if (await round()) again = true;
    } while (again && !stopped);
  };
  const wake = () => {
    if (stopped) return;
    if (current) {
      again = true;
      return;
    }
    current = loop()
      .catch((error: unknown) => logger.error({ err: error }, `${name} round failed`))
      .finally(() => {
        current = undefined;
      });
  };
  return {
    wake,
    start({ afterInterval = false } = {}) {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(wake, intervalMs);
      timer.unref();
      if (!afterInterval) wake();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
    get stopped() {
      return stopped;
    },
  };
}
