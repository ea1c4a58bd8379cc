import { describe, expect, it } from 'vitest'
import { checkPin, effectivePinRules, pinCardKind } from '../../../shared/domain/pin-rules'

// The effective PIN rules (template UserPinPolicy, card limits, station minimum), computed once and checked before
// any card command (issue "Issue a badge" PIN step; field report: a TPM VSC needs 8–127 printable ASCII characters).

const VSC_ATR = '3b8d0180fba000000397425446590301c8'

describe('pinCardKind', () => {
  it.each([
    [{ atr: VSC_ATR, virtualSmartcardTemplate: false }, 'tpm-vsc'],
    [{ atr: '3b8d0180fba000000397425446590401cf', virtualSmartcardTemplate: false }, 'tpm-vsc'],
    [{ atr: '3bf81300008131fe15597562696b657934d4', virtualSmartcardTemplate: false }, 'gids'],
    [{ atr: null, virtualSmartcardTemplate: true }, 'tpm-vsc'],
    [{ atr: null, virtualSmartcardTemplate: false }, 'gids'],
  ] as const)('%j → %s', (input, kind) => {
    expect(pinCardKind(input)).toBe(kind)
  })
})

describe('effectivePinRules', () => {
  it.each([
    // policy, card, station → min (source), max (source), conflict
    [{ minLength: 8, maxLength: 8 }, 'tpm-vsc', 4, 8, 'template', 8, 'template', false],
    [{ minLength: 4, maxLength: 0 }, 'tpm-vsc', 4, 8, 'card', 127, 'card', false],
    [{ minLength: 4, maxLength: 8 }, 'gids', 6, 6, 'station', 8, 'template', false],
    [{ minLength: 0, maxLength: 0 }, 'gids', 4, 4, 'card', 16, 'card', false],
    [null, 'gids', 10, 10, 'station', 16, 'card', false],
    [{ minLength: 4, maxLength: 6 }, 'tpm-vsc', 4, 8, 'card', 6, 'template', true],
    [{ minLength: 10, maxLength: 10 }, 'tpm-vsc', 4, 10, 'template', 10, 'template', false],
  ] as const)(
    '%j on %s with station minimum %i',
    (policy, kind, station, min, minSource, max, maxSource, conflict) => {
      expect(effectivePinRules({ policy, cardKind: kind, stationMinLength: station })).toEqual({
        minLength: min,
        maxLength: max,
        minSource,
        maxSource,
        cardKind: kind,
        printableAscii: true,
        conflict,
      })
    },
  )
})

describe('checkPin', () => {
  const vsc = effectivePinRules({
    policy: { minLength: 4, maxLength: 0 },
    cardKind: 'tpm-vsc',
    stationMinLength: 4,
  })
  it.each([
    ['1234567', [], ['too-short']],
    ['12345678', [], []],
    ['x'.repeat(127), [], []],
    ['x'.repeat(128), [], ['too-long']],
    ['1234567é', [], ['not-printable-ascii']],
    ['1234\t678', [], ['not-printable-ascii']],
    ['Pass word!', [], []],
    ['12345678', ['12345679'], ['mismatch']],
  ] as const)('%j', (pin, confirmation, violations) => {
    expect(checkPin(pin, vsc, confirmation[0])).toEqual(violations)
  })
})
