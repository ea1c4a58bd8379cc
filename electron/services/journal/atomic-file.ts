import * as fs from 'node:fs'
import { dirname } from 'node:path'

/** The file-system calls the journal makes (injectable so tests can tear a write half-way). */
export interface JournalFs {
  openSync(path: string, flags: string, mode?: number): number
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number
  fsyncSync(fd: number): void
  closeSync(fd: number): void
  renameSync(from: string, to: string): void
  readFileSync(path: string, encoding: 'utf8'): string
  unlinkSync(path: string): void
  mkdirSync(path: string, options: { recursive: true; mode?: number }): unknown
}

/** The real file system. */
export const nodeJournalFs: JournalFs = fs

/** The temp file a write goes through; a leftover one is a torn write and is never read as the journal. */
export function tempPathOf(file: string): string {
  return `${file}.tmp`
}

function writeAll(fsx: JournalFs, fd: number, bytes: Buffer): void {
  for (let off = 0; off < bytes.length;) off += fsx.writeSync(fd, bytes, off, bytes.length - off)
}

/** fsync a directory so a rename survives power loss; Windows cannot open directories (best effort there). */
function syncDir(fsx: JournalFs, dir: string): void {
  let fd: number | null = null
  try {
    fd = fsx.openSync(dir, 'r')
    fsx.fsyncSync(fd)
  } catch {
    // EISDIR/EPERM on Windows: NTFS renames are journaled by the file system itself.
  } finally {
    if (fd !== null) fsx.closeSync(fd)
  }
}

/**
 * Replace `file` with `text` atomically: write a temp file, fsync it, rename it over the file, fsync the
 * directory. A crash at any point leaves either the old file or the new one, never a mix; a torn temp
 * file is left behind (and cleaned up at the next open) but never replaces the journal.
 */
export function writeFileAtomic(fsx: JournalFs, file: string, text: string): void {
  const dir = dirname(file)
  // 0o700/0o600: the journal holds no secrets, but it is this operator's work list, not everyone's.
  fsx.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const tmp = tempPathOf(file)
  try {
    const fd = fsx.openSync(tmp, 'w', 0o600)
    try {
      writeAll(fsx, fd, Buffer.from(text, 'utf8'))
      fsx.fsyncSync(fd)
    } finally {
      fsx.closeSync(fd)
    }
    fsx.renameSync(tmp, file)
  } catch (error) {
    try {
      fsx.unlinkSync(tmp)
    } catch {
      // Nothing to clean up, or the disk is gone: the old journal is intact either way.
    }
    throw error
  }
  syncDir(fsx, dir)
}

/** Read a file as UTF-8, or null when it does not exist. Other errors are thrown. */
export function readIfExists(fsx: JournalFs, file: string): string | null {
  try {
    return fsx.readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** Delete a file; a missing file is fine. */
export function removeIfExists(fsx: JournalFs, file: string): boolean {
  try {
    fsx.unlinkSync(file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}
