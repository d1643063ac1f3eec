import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The file in VIGIL_STATE_DIR that names the process whose local stack keeps its state there. */
export const LOCK_FILE = 'vigil-stack.pid';

/** Directories this process holds: a second stack in the same process is refused like one in another. */
const held = new Set<string>();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists and belongs to another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const holderOf = (path: string): number | undefined => {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Takes the state directory for this process, so a second `npm start` on the same VIGIL_STATE_DIR says who
 * has it instead of failing inside LevelDB. A lock whose process is gone (a crash, a kill -9) is taken over.
 * Returns the release, which removes the file only while it is still this process's.
 */
export const lockStateDir = (dir: string): (() => void) => {
  const key = resolve(dir);
  const path = join(dir, LOCK_FILE);
  const inUse = (pid: number) =>
    new Error(
      `the state in ${dir} (VIGIL_STATE_DIR) is in use by process ${pid}: another npm start may be running; stop it, or set VIGIL_STATE_DIR to another directory`,
    );
  if (held.has(key)) throw inUse(process.pid);
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = holderOf(path);
      if (pid !== undefined && pid !== process.pid && alive(pid)) throw inUse(pid);
      // another start took it over between our look and our write
      if (attempt > 0) throw pid === undefined ? error : inUse(pid);
      // stale: its process is gone (or it is unreadable, or ours from a stack that never stopped)
      unlinkSync(path);
    }
  }
  held.add(key);
  return () => {
    held.delete(key);
    if (holderOf(path) === process.pid) unlinkSync(path);
  };
};
