import { makeStaticStyles, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { ReaderPanel } from '../readers/reader-panel'
import { AppFooter } from './app-footer'
import { AppHeader } from './app-header'
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
  main: {
    flexGrow: 1,
    width: '100%',
    maxWidth: '960px',
    boxSizing: 'border-box',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
  },
})

/** Page layout: header (banner), status banners, main content, footer (contentinfo). */
export function AppShell(): ReactNode {
  useGlobalStyles()
  const styles = useStyles()
  return (
    <div className={styles.root}>
      <AppHeader />
      <div className={styles.banners}>
        <TrainingBanner />
        <ConnectionBanner />
      </div>
      <main className={styles.main}>
        <ReaderPanel />
      </main>
      <AppFooter />
    </div>
  )
}
