import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { SafeStorage } from 'electron'

/** File name, under the station's data directory, of the encrypted directory service-account password. */
export const DIRECTORY_SECRET_FILE = 'directory-bind.secret'

/** The command-line switch that stores the directory password read from standard input, then exits. */
export const SET_DIRECTORY_PASSWORD_SWITCH = '--set-directory-password'

/**
 * The directory service account's password, kept on disk only as Electron `safeStorage` ciphertext (Windows: DPAPI
 * bound to the account the station runs as; macOS: Keychain; Linux: the desktop's secret store). Never written
 * in clear text: where safeStorage cannot encrypt (`isEncryptionAvailable()` false, or Linux's `basic_text`
 * fallback), storing is refused.
 */
export interface DirectorySecret {
  /** The password, or null when none is stored. Throws when the stored ciphertext cannot be decrypted. */
  read(): Promise<string | null>
  /** Encrypt and store `password` (atomic replace, file mode 0600). Throws when safeStorage cannot encrypt. */
  write(password: string): void
  /** Remove the stored password. */
  clear(): void
}

/** Build the safeStorage-backed secret stored at `<dataDir>/directory-bind.secret`. */
export function createDirectorySecret(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
    getSelectedStorageBackend?: SafeStorage['getSelectedStorageBackend']
  },
  dataDir: string,
): DirectorySecret {
  const file = join(dataDir, DIRECTORY_SECRET_FILE)
  return {
    async read() {
      if (!existsSync(file)) return null
      return safeStorage.decryptString(readFileSync(file))
    },
    write(password) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error(
          'the operating system offers no encryption for stored secrets (safeStorage unavailable)',
        )
      }
      if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
        throw new Error('no desktop secret store: safeStorage would only obfuscate the password (basic_text)')
      }
      if (password.length === 0) throw new Error('an empty password')
      const ciphertext = safeStorage.encryptString(password)
      mkdirSync(dirname(file), { recursive: true })
      const tmp = `${file}.${process.pid}.tmp`
      writeFileSync(tmp, ciphertext, { mode: 0o600 })
      renameSync(tmp, file)
      chmodSync(file, 0o600)
    },
    clear() {
      rmSync(file, { force: true })
    },
  }
}

/**
 * `CM Enrollment Station.exe --set-directory-password`: read the password from standard input (one line; piped, never
 * a command-line argument, which other processes could read; trailing blanks, the line end and a BOM are dropped,
 * several lines or blanks only are refused) and store it encrypted for the Windows account that runs it — run it as
 * the account the station runs as (safeStorage is DPAPI per user).
 * Resolves to the process exit code: 0 stored, 1 refused (the reason on stderr, never the password).
 */
export async function setDirectoryPasswordFromStdin(
  secret: DirectorySecret,
  stdin: NodeJS.ReadableStream,
  stderr: { write(text: string): unknown },
): Promise<number> {
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  const all = Buffer.concat(chunks)
  // One line: a BOM (PowerShell), the line end and trailing blanks (cmd's `echo pw | …` sends "pw \r\n") dropped.
  const text = all.toString('utf8').replace(/^\uFEFF/, '')
  all.fill(0)
  const lines = text.split(/\r?\n/)
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
  const password = (lines[0] ?? '').replace(/[ \t\r]+$/, '')
  try {
    if (lines.length > 1) throw new Error('more than one line on standard input')
    if (password === '' && (lines[0] ?? '').replace(/\r$/, '') !== '')
      throw new Error('a password of blanks only')
    if (password === '') {
      secret.clear()
      stderr.write('directory password removed\n')
      return 0
    }
    secret.write(password)
    stderr.write('directory password stored (encrypted)\n')
    return 0
  } catch (error) {
    stderr.write(`directory password not stored: ${error instanceof Error ? error.message : 'error'}\n`)
    return 1
  }
}
