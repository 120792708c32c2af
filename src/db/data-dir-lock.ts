import fs from 'node:fs';
import path from 'node:path';

/** Another live process holds the embedded database folder. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${ownerPid}. ` +
        'Stop that process first, or set HTEK_DMS_DATA_DIR to another folder, or use DATABASE_URL for a shared Postgres server.',
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * Takes an exclusive lock on an embedded database folder by creating `<dataDir>.lock` with
 * O_EXCL and our pid in it. PGlite has no lock of its own, and two processes on one folder
 * corrupt it. A lock file left behind by a process that no longer runs is taken over.
 * Returns the function that releases the lock.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = `${path.resolve(dataDir)}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return () => releaseLock(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }

    const ownerPid = readOwnerPid(lockPath);
    if (ownerPid !== undefined && ownerPid !== process.pid && isProcessAlive(ownerPid)) {
      throw new DataDirLockedError(dataDir, ownerPid);
    }
    fs.rmSync(lockPath, { force: true });
  }
  throw new Error(`Could not take the lock ${lockPath}; remove the file if no htek-dms process is running.`);
}

function releaseLock(lockPath: string): void {
  if (readOwnerPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
}

function readOwnerPid(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
