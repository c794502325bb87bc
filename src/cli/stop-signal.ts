/** The signals that stop a long-running command (serve, worker) gracefully. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Resolves at the first stop signal. Later ones are ignored, so a shutdown under way finishes: a terminal's Ctrl-C
 * reaches this process and also the launcher that started it under Node 24 (bin/cobranza.js), which forwards it.
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) return;
      received = true;
      resolve(signal);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
}
