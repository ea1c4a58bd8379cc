import type { TFunction } from 'i18next'

/**
 * Known journal write kinds → label key. Keyed by string, not `CmWriteKind`: main adds kinds (enroll, bind,
 * complete, cancel) independently, and a kind this renderer does not know yet is shown generically with its raw name.
 */
const KIND_KEYS: Readonly<
  Record<
    string,
    | 'writes.kind.enroll'
    | 'writes.kind.retire'
    | 'writes.kind.bind'
    | 'writes.kind.complete'
    | 'writes.kind.cancel'
  >
> = {
  enroll: 'writes.kind.enroll',
  retire: 'writes.kind.retire',
  bind: 'writes.kind.bind',
  complete: 'writes.kind.complete',
  cancel: 'writes.kind.cancel',
}

/** "Retire a card", "Bind a card to a request", …, or "CM write (<kind>)" for a kind this UI does not know. */
export function writeKindLabel(t: TFunction, kind: string): string {
  const key = Object.hasOwn(KIND_KEYS, kind) ? KIND_KEYS[kind] : undefined
  return key ? t(key) : t('writes.kind.other', { kind })
}

const STATE_KEYS: Readonly<
  Record<
    string,
    | 'writes.state.pending'
    | 'writes.state.awaiting-approval'
    | 'writes.state.failed'
    | 'writes.state.done'
    | 'writes.state.dismissed'
  >
> = {
  pending: 'writes.state.pending',
  'awaiting-approval': 'writes.state.awaiting-approval',
  failed: 'writes.state.failed',
  done: 'writes.state.done',
  dismissed: 'writes.state.dismissed',
}

/** The localized state of a journaled write; an unknown state stays verbatim. */
export function writeStateLabel(t: TFunction, state: string): string {
  const key = Object.hasOwn(STATE_KEYS, state) ? STATE_KEYS[state] : undefined
  return key ? t(key) : state
}
