import { Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components'
import type { TFunction } from 'i18next'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { checkPin, type PinRules } from '../../../../shared/domain/pin-rules'
import { assertNever } from '../../../../shared/result'
import { VisuallyHidden } from '../../common/visually-hidden'

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXXS,
  },
  item: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'baseline' },
  met: { color: tokens.colorPaletteGreenForeground1 },
  unmet: { color: tokens.colorNeutralForeground2 },
  wrong: { color: tokens.colorPaletteRedForeground1 },
  mark: { width: '1.2em', display: 'inline-block', textAlign: 'center' },
})

/** The minimum-length rule in the holder's words, with why ("a virtual smart card needs 8"). */
function minText(t: TFunction, rules: PinRules): string {
  const n = rules.minLength
  switch (rules.minSource) {
    case 'card':
      return rules.cardKind === 'tpm-vsc' ? t('pin.rule.minVsc', { n }) : t('pin.rule.minCard', { n })
    case 'template':
      return t('pin.rule.minTemplate', { n })
    case 'station':
      return t('pin.rule.minStation', { n })
    default:
      return assertNever(rules.minSource)
  }
}

/** The maximum-length rule in the holder's words, with why. */
function maxText(t: TFunction, rules: PinRules): string {
  const n = rules.maxLength
  switch (rules.maxSource) {
    case 'card':
      return rules.cardKind === 'tpm-vsc' ? t('pin.rule.maxVsc', { n }) : t('pin.rule.maxCard', { n })
    case 'template':
      return t('pin.rule.maxTemplate', { n })
    case 'station':
      return t('pin.rule.maxStation', { n })
    default:
      return assertNever(rules.maxSource)
  }
}

type Mark = 'met' | 'unmet' | 'wrong'

/**
 * The PIN rules, checked live as the holder types (`checkPin`, the same function main enforces with): each rule
 * says whether it is met. `confirmation` (the second entry) adds "the two entries match"; an empty first entry
 * marks nothing as wrong yet.
 */
export function PinRulesList(props: { rules: PinRules; pin: string; confirmation?: string }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { rules, pin, confirmation } = props
  const broken = new Set(checkPin(pin, rules, confirmation))
  const typed = pin.length > 0
  const mark = (ok: boolean): Mark => (ok ? 'met' : typed ? 'wrong' : 'unmet')
  const items: Array<{ rule: string; mark: Mark; text: string }> = [
    { rule: 'min', mark: mark(typed && !broken.has('too-short')), text: minText(t, rules) },
    { rule: 'max', mark: mark(typed && !broken.has('too-long')), text: maxText(t, rules) },
    {
      rule: 'printable',
      mark: mark(typed && !broken.has('not-printable-ascii')),
      text: t('pin.rule.printable'),
    },
  ]
  if (confirmation !== undefined) {
    const same = confirmation !== '' && !broken.has('mismatch')
    items.push({
      rule: 'match',
      mark: same ? 'met' : confirmation === '' ? 'unmet' : 'wrong',
      text: same ? t('pin.rule.match') : confirmation === '' ? t('pin.rule.confirm') : t('pin.rule.mismatch'),
    })
  }
  return (
    <ul className={styles.list} aria-label={t('pin.rule.heading')} data-testid="pin-rules">
      {items.map((item) => (
        <li
          key={item.rule}
          className={styles.item}
          data-testid="pin-rule"
          data-rule={item.rule}
          data-met={item.mark === 'met'}
        >
          <span aria-hidden="true" className={mergeClasses(styles.mark, styles[item.mark])}>
            {item.mark === 'met' ? '✓' : item.mark === 'wrong' ? '✗' : '•'}
          </span>
          <Text className={styles[item.mark]}>{item.text}</Text>
          <VisuallyHidden>{t(item.mark === 'met' ? 'pin.rule.isMet' : 'pin.rule.notMet')}</VisuallyHidden>
        </li>
      ))}
    </ul>
  )
}
