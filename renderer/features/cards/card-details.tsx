import { Spinner, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ErrorInfo } from '../../../shared/errors'
import { assertNever } from '../../../shared/result'
import { errorMessage } from '../../i18n/error-message'
import type { CardView } from '../../store/card-slice'
import { useStationState } from '../../store/store-context'
import { CardCertificates } from './card-certificates'
import { CardFields } from './card-fields'

const useStyles = makeStyles({
  root: {
    gridColumn: '1 / -1',
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    paddingTop: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  notice: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderLeft: `${tokens.strokeWidthThicker} solid`,
    borderRadius: tokens.borderRadiusMedium,
  },
  info: { borderLeftColor: tokens.colorBrandStroke1, backgroundColor: tokens.colorBrandBackground2 },
  warning: {
    borderLeftColor: tokens.colorStatusWarningBorderActive,
    backgroundColor: tokens.colorStatusWarningBackground1,
  },
  error: {
    borderLeftColor: tokens.colorStatusDangerBorderActive,
    backgroundColor: tokens.colorStatusDangerBackground1,
  },
})

type Intent = 'info' | 'warning' | 'error'

/**
 * A plain notice, not a Fluent MessageBar: a MessageBar announces itself on mount, and the details region
 * is already a polite live region, so a screen reader would read it twice.
 */
function Notice(props: {
  intent: Intent
  title: string
  detail?: string
  testId: string
  code?: string
}): ReactNode {
  const styles = useStyles()
  return (
    <div
      className={mergeClasses(styles.notice, styles[props.intent])}
      data-testid={props.testId}
      data-code={props.code}
    >
      <Text weight="semibold">{props.title}</Text>
      {props.detail ? <Text size={200}>{props.detail}</Text> : null}
    </div>
  )
}

function ErrorNotice(props: { titleKey: 'cards.identifyFailed' | 'cards.lookupFailed'; error: ErrorInfo }) {
  const { t } = useTranslation()
  return (
    <Notice
      intent="error"
      testId="card-error"
      code={props.error.code}
      title={t(props.titleKey)}
      detail={errorMessage(t, props.error)}
    />
  )
}

function CardBody({ view, reader }: { view: CardView; reader: string }): ReactNode {
  const { t } = useTranslation()
  switch (view.phase) {
    case 'identifying':
      return <Spinner size="tiny" labelPosition="after" label={t('cards.identifying')} />
    case 'identify-failed':
      return <ErrorNotice titleKey="cards.identifyFailed" error={view.error} />
    case 'not-gids':
      return (
        <Notice
          intent="warning"
          testId="card-not-gids"
          title={t('cards.notGids')}
          detail={t('cards.notGidsDetail')}
        />
      )
    case 'blank':
      return (
        <Notice intent="info" testId="card-blank" title={t('cards.blank')} detail={t('cards.blankDetail')} />
      )
    case 'looking-up':
      return (
        <>
          <CardFields card={view.identity} />
          <Spinner size="tiny" labelPosition="after" label={t('cards.lookingUp')} />
        </>
      )
    case 'registered':
      return (
        <>
          <CardFields card={view.identity} record={view.record} />
          <CardCertificates reader={reader} />
        </>
      )
    case 'not-registered':
      return (
        <>
          <CardFields card={view.identity} />
          <CardCertificates reader={reader} />
          <Notice
            intent="info"
            testId="cm-not-registered"
            title={t('cards.notRegistered')}
            detail={t('cards.notRegisteredDetail')}
          />
        </>
      )
    case 'lookup-failed':
      return (
        <>
          <CardFields card={view.identity} />
          <ErrorNotice titleKey="cards.lookupFailed" error={view.error} />
        </>
      )
    default:
      return assertNever(view)
  }
}

/**
 * Which card is in `reader`: identity (Card ID) and CM record, or why there is none. A polite live region,
 * busy while a lookup runs, so a screen reader announces the outcome once (not every intermediate step).
 */
export function CardDetails({ reader }: { reader: string }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  // No entry yet: the card sync has not seen this snapshot (same render); it is identifying next.
  const view = useStationState((s) => s.cards.byReader[reader]) ?? { phase: 'identifying' }
  const busy = view.phase === 'identifying' || view.phase === 'looking-up'
  return (
    <div
      role="region"
      aria-label={t('cards.region', { reader })}
      aria-live="polite"
      aria-busy={busy}
      className={styles.root}
      data-testid="card-details"
      data-reader-name={reader}
      data-phase={view.phase}
    >
      <CardBody
        key={'identity' in view ? `${view.identity.atr}:${view.identity.cardId ?? ''}` : view.phase}
        view={view}
        reader={reader}
      />
    </div>
  )
}
