import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

/** Test helpers: the `openssl` command line (OpenSSL 3), the independent implementation the PKI tests check against. */

/** Why the OpenSSL interop tests cannot run here, or null when `openssl` is on the PATH. */
export const OPENSSL_MISSING: string | null = (() => {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' })
  return r.status === 0 ? null : 'the openssl command is not installed (Debian: apt-get install openssl)'
})()
if (OPENSSL_MISSING) console.warn(`OpenSSL interop tests skipped: ${OPENSSL_MISSING}`)

/** Run `openssl args…`; returns stdout, stderr and the exit status (never throws on a non-zero exit). */
export function openssl(
  args: string[],
  input?: Buffer,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Run `openssl args…` and return stdout as bytes; throws with stderr when it fails. */
export function opensslBytes(args: string[]): Buffer {
  const r = spawnSync('openssl', args)
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr.toString()}`)
  return r.stdout
}

/** A temporary directory for this test file, removed after it; `file(name, bytes)` writes one file and returns its path. */
export function useTempDir(): {
  file(name: string, bytes: Buffer | string): string
  path(name: string): string
} {
  const dir = mkdtempSync(join(tmpdir(), 'pki-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return {
    file(name, bytes) {
      const p = join(dir, name)
      writeFileSync(p, bytes)
      return p
    },
    path: (name) => join(dir, name),
  }
}
