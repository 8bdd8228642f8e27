import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** `<database>.pid`: which process runs the bot on a database file. */
export const pidFilePath = (databasePath: string) => `${databasePath}.pid`;

/**
 * Writes this process's pid beside the database while the bot runs. A kill -9 leaves the file, but
 * its pid is then no running process, so runningBotPid reads it as free.
 */
export function holdPidFile(databasePath: string): { release: () => void } {
  if (databasePath === ':memory:') return { release: () => undefined };
  const path = pidFilePath(databasePath);
  writeFileSync(path, `${process.pid}\n`);
  return {
    release: () => {
      try {
        if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
      } catch {
        // Gone already.
      }
    },
  };
}

/** The pid of a live bot on this database, or null. */
export function runningBotPid(databasePath: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFilePath(databasePath), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, owned by another user (the service user); ESRCH: no such process.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
