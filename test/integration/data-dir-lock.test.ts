import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, openDatabase } from '../../server/database.ts';

describe('one process per embedded data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'scorta-lock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a directory another live process holds, naming it and what to do', async () => {
    const dataDir = join(root, 'held');
    writeFileSync(`${dataDir}.lock`, String(process.ppid)); // the test runner's parent: alive, not us
    const opening = openDatabase({ dataDir });
    await expect(opening).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(opening).rejects.toThrow(/in use by another Scorta process .*stop that process first/);
  });

  it('takes over the lock of a process that is gone, and releases it on close', async () => {
    const dataDir = join(root, 'stale');
    writeFileSync(`${dataDir}.lock`, '2147483646');
    const db = await openDatabase({ dataDir });
    await db.close();
    const again = await openDatabase({ dataDir });
    await again.close();
  });
});
