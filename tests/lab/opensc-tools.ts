import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * OpenSC and OpenSSL as independent oracles (lab and e2e): run a tool and keep its exit code and output. Never
 * throws: OpenSC's exit codes are not trusted alone (gids-card-edge.md §8), the caller checks the output.
 */

/** A tool run: exit code (-1 when it could not run) and stdout + stderr. */
export interface ToolRun {
  code: number
  out: string
}

/** OpenSC's PKCS#11 module on this machine, or undefined. */
export const OPENSC_PKCS11 = ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/opensc-pkcs11.so'].find(
  existsSync,
)

/** Run `cmd args…` with stdin closed. */
export function runTool(cmd: string, args: string[], timeoutMs = 60_000): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      resolve({ code, out: `${stdout}${stderr}` })
    })
    child.stdin?.end()
  })
}
