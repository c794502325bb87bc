import type { Command } from 'commander';

const EXIT = Symbol('exit');
type WithExit = Command & { [EXIT]?: number };

function root(command: Command): Command {
  let r = command;
  while (r.parent) r = r.parent;
  return r;
}

/** Lets a handler set the exit status without throwing (e.g. an import rejected with a report). */
export function setExit(command: Command, code: number): void {
  (root(command) as WithExit)[EXIT] = code;
}

export function exitCodeOf(program: Command): number {
  return (program as WithExit)[EXIT] ?? 0;
}
