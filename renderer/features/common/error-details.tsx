import { Text, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ErrorInfo } from '../../../shared/errors'
import { errorSentence, knownCode } from '../../i18n/error-message'
import { CopyButton } from './copy-button'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS },
  reference: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalS,
  },
  code: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
})

/**
 * A failure as a sentence (error table, tries left) and, when CM gave one, its correlation id on its own line
 * with a copy button, for the operator to quote to the CM administrator. `data-code` carries the closed code.
 */
export function ErrorDetails(props: {
  error: ErrorInfo
  testId?: string
  advice?: string | null
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { error } = props
  return (
    <div className={styles.root} data-testid={props.testId} data-code={knownCode(error)}>
      <Text>{errorSentence(t, error)}</Text>
      {props.advice ? <Text weight="semibold">{props.advice}</Text> : null}
      {error.correlationId ? (
        <span className={styles.reference}>
          <Text size={200}>{t('error.correlationLabel')}</Text>
          <code className={styles.code} data-testid="correlation-id">
            {error.correlationId}
          </code>
          <CopyButton text={error.correlationId} label={t('common.copyReference')} />
        </span>
      ) : null}
    </div>
  )
}
