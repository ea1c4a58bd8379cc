/**
 * Types for pino-roll 4.0.0 (the package ships none): its default export builds a SonicBoom stream that rolls files
 * by size and/or frequency (https://github.com/mcollina/pino-roll#readme). Only the options the station uses.
 */
declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events'

  /** A SonicBoom file stream (sonic-boom 4), as far as the station uses it. */
  interface RollStream extends EventEmitter {
    write(data: string): boolean
    flushSync(): void
    end(): void
    readonly file: string
    destroyed: boolean
  }

  interface RollOptions {
    /** Base path; pino-roll inserts `.<n>` before the extension (`audit.jsonl` → `audit.1.jsonl`). */
    file: string
    /** Roll when a file reaches this size: a number is MB; a string takes `b`, `k`, `m`, `g`. */
    size?: string | number
    frequency?: 'daily' | 'hourly' | number
    /** `count`: files kept; `removeOtherLogFiles`: also count files of earlier runs (not only this process's). */
    limit?: { count: number; removeOtherLogFiles?: boolean }
    symlink?: boolean
    mkdir?: boolean
    /** SonicBoom: write synchronously (a line is on disk when `write` returns). */
    sync?: boolean
    append?: boolean
    minLength?: number
  }

  function build(options: RollOptions): Promise<RollStream>
  export = build
}
