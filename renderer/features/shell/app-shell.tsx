import { makeStaticStyles, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { assertNever } from '../../../shared/result'
import { useStationState } from '../../store/store-context'
import { IssuePage } from '../enrollment/issue-page'
import { HomePage } from '../home/home-page'
import { KioskMode } from '../kiosk/kiosk-mode'
import { ReaderPanel } from '../readers/reader-panel'
import { RetirePage } from '../retire/retire-page'
import { AppFooter } from './app-footer'
import { AppHeader } from './app-header'
import { CmConnectionBanner } from './cm-status'
import { ConnectionBanner } from './connection-banner'
import { TrainingBanner } from './training-banner'

const useGlobalStyles = makeStaticStyles({ body: { margin: 0 } })

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    minHeight: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  banners: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL} 0`,
  },
  // The page and, beside it, the reader panel: operators watch their readers while they work.
  body: {
    flexGrow: 1,
    width: '100%',
    maxWidth: '1440px',
    boxSizing: 'border-box',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(20rem, 28rem)',
    alignItems: 'start',
    gap: tokens.spacingHorizontalXXL,
    '@media (max-width: 960px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  main: { minWidth: 0 },
  aside: { minWidth: 0 },
})

function Page(): ReactNode {
  const screen = useStationState((s) => s.navigation.screen)
  switch (screen.name) {
    case 'home':
      return <HomePage />
    case 'issue':
      // Keyed by request id: another enrollment is a fresh page (its PIN state never carries over).
      return <IssuePage key={screen.requestId ?? 'new'} requestId={screen.requestId} />
    case 'retire':
      return <RetirePage />
    default:
      return assertNever(screen)
  }
}

/** Page layout: header (banner), status banners, the current page (main) beside the reader panel, footer. */
export function AppShell(): ReactNode {
  useGlobalStyles()
  const styles = useStyles()
  const { t } = useTranslation()
  return (
    <div className={styles.root}>
      <AppHeader />
      {/* A labelled region, so the status banners are inside a landmark like everything else. */}
      <div className={styles.banners} role="region" aria-label={t('app.status')}>
        <TrainingBanner />
        <ConnectionBanner />
        <CmConnectionBanner />
      </div>
      <div className={styles.body}>
        <main className={styles.main}>
          <Page />
        </main>
        <aside className={styles.aside}>
          <ReaderPanel />
        </aside>
      </div>
      <AppFooter />
      <KioskMode />
    </div>
  )
}
