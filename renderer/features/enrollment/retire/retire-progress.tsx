import { Badge, Field, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollmentRetireItem } from '../../../../shared/domain/enrollment'
import { ErrorDetails } from '../../common/error-details'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
  },
  item: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS },
  line: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
})

const STATE_KEYS = {
  pending: 'retire.state.pending',
  retired: 'retire.state.retired',
  'awaiting-approval': 'retire.state.awaiting-approval',
  failed: 'retire.state.failed',
} as const satisfies Record<EnrollmentRetireItem['state'], `retire.state.${EnrollmentRetireItem['state']}`>

const STATE_COLORS = {
  pending: 'informative',
  retired: 'success',
  'awaiting-approval': 'warning',
  failed: 'danger',
} as const

/**
 * The old cards being retired: a progress bar (cards handled / selected) and each card's outcome; a Retire request
 * waiting for approval or a failed one (with the CM correlation id) stays in the write journal.
 */
export function RetireProgress(props: { items: readonly EnrollmentRetireItem[] }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const total = props.items.length
  const handled = props.items.filter((i) => i.state !== 'pending').length
  return (
    <section className={styles.root} data-testid="retire-progress" aria-label={t('retire.progressLabel')}>
      <Field
        label={t('retire.progress', { handled, total })}
        validationState="none"
        validationMessage={
          props.items.some((i) => i.state === 'failed' || i.state === 'awaiting-approval')
            ? t('retire.keptInJournal')
            : null
        }
      >
        <ProgressBar value={total === 0 ? 1 : handled / total} max={1} thickness="large" />
      </Field>
      <ul className={styles.list}>
        {props.items.map((item) => (
          <li
            key={item.smartcardUuid}
            className={styles.item}
            data-testid="retire-item"
            data-smartcard-uuid={item.smartcardUuid}
            data-state={item.state}
          >
            <div className={styles.line}>
              <code className={styles.code}>{item.cardId ?? item.smartcardUuid}</code>
              <Badge appearance="tint" color={STATE_COLORS[item.state]}>
                {t(STATE_KEYS[item.state])}
              </Badge>
              {item.requestId ? (
                <Text size={200}>
                  {t('retire.requestId')} <code className={styles.code}>{item.requestId}</code>
                </Text>
              ) : null}
            </div>
            {item.error ? <ErrorDetails error={item.error} testId="retire-item-error" /> : null}
          </li>
        ))}
      </ul>
    </section>
  )
}
