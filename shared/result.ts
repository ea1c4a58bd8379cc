import type { ErrorCode, ErrorInfo } from './errors'

/** Outcome of every IPC call: a value, or a closed error code (never raw exception text). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** A successful Result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

/** A failed Result. */
export function fail<T = never>(code: ErrorCode, extra: Omit<ErrorInfo, 'code'> = {}): Result<T> {
  return { ok: false, error: { code, ...extra } }
}

/** Exhaustiveness guard for discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}
