import type { Result } from '../../shared/result'

/**
 * A Result even if the host rejects: Electron's ipcRenderer.invoke rejects when no handler is registered
 * (toolchain.md §4), and a rejection must become the catch-all code, not an unhandled error.
 */
export async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call()
  } catch {
    return { ok: false, error: { code: 'internal' } }
  }
}
