import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  createDirectorySecret,
  DIRECTORY_SECRET_FILE,
  setDirectoryPasswordFromStdin,
} from '../../../electron/glue/directory-secret'

// A stand-in for Electron safeStorage: reversible, and visibly not the clear text.
const safeStorage = (available = true, backend = 'gnome_libsecret') => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => backend as 'gnome_libsecret',
  encryptString: (text: string) =>
    Buffer.concat([Buffer.from('v10'), Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)]),
  decryptString: (data: Buffer) => Buffer.from(data.subarray(3).map((b) => b ^ 0x5a)).toString('utf8'),
})

const PASSWORD = 'S3rvice-Acc0unt!pw'
const sink = () => {
  const lines: string[] = []
  return { lines, write: (t: string) => lines.push(t) }
}

describe('directory password kept with safeStorage', () => {
  it('stores only ciphertext (0600) and reads the password back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'station-secret-'))
    const secret = createDirectorySecret(safeStorage(), dir)
    expect(await secret.read()).toBeNull()
    const err = sink()
    expect(await setDirectoryPasswordFromStdin(secret, Readable.from([`${PASSWORD}\r\n`]), err)).toBe(0)
    const file = join(dir, DIRECTORY_SECRET_FILE)
    expect(readFileSync(file).includes(Buffer.from(PASSWORD))).toBe(false)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(await secret.read()).toBe(PASSWORD)
    expect(err.lines.join('')).not.toContain(PASSWORD)
  })

  it('refuses to store where the platform cannot encrypt (nothing written in clear text)', async () => {
    for (const storage of [
      safeStorage(false),
      ...(process.platform === 'linux' ? [safeStorage(true, 'basic_text')] : []),
    ]) {
      const dir = mkdtempSync(join(tmpdir(), 'station-secret-'))
      const secret = createDirectorySecret(storage, dir)
      const err = sink()
      expect(await setDirectoryPasswordFromStdin(secret, Readable.from([PASSWORD]), err)).toBe(1)
      expect(err.lines.join('')).toMatch(/not stored/)
      expect(err.lines.join('')).not.toContain(PASSWORD)
      expect(await secret.read()).toBeNull()
    }
  })

  it("cmd's `echo pw | …` (trailing blank, CRLF) and a BOM store the password itself; several lines are refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'station-secret-'))
    const secret = createDirectorySecret(safeStorage(), dir)
    expect(await setDirectoryPasswordFromStdin(secret, Readable.from([`${PASSWORD} \r\n`]), sink())).toBe(0)
    expect(await secret.read()).toBe(PASSWORD)
    expect(await setDirectoryPasswordFromStdin(secret, Readable.from([`\uFEFF${PASSWORD}\n`]), sink())).toBe(
      0,
    )
    expect(await secret.read()).toBe(PASSWORD)
    expect(await setDirectoryPasswordFromStdin(secret, Readable.from(['one\ntwo\n']), sink())).toBe(1)
    expect(await setDirectoryPasswordFromStdin(secret, Readable.from(['   \n']), sink())).toBe(1)
    expect(await secret.read()).toBe(PASSWORD)
  })

  it('an empty line removes the stored password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'station-secret-'))
    const secret = createDirectorySecret(safeStorage(), dir)
    secret.write(PASSWORD)
    expect(await setDirectoryPasswordFromStdin(secret, Readable.from(['\n']), sink())).toBe(0)
    expect(await secret.read()).toBeNull()
  })
})
