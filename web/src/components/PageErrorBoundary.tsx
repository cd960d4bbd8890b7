// A page that throws while rendering, or whose chunk fails to load (the network dropped, or a new build
// replaced the old chunks), shows the person that it failed and offers a reload — never a blank console.
// Inside the Shell it wraps only the routed page, so the menu stays usable; leaving the page clears it.
import { Button, Result } from 'antd';
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function PageFailed() {
  const { t } = useTranslation();
  return (
    <div role="alert">
      <Result
        status="error"
        title={t('error.pageFailed')}
        subTitle={t('error.pageFailedHint')}
        extra={
          // A full reload: React.lazy keeps a chunk's failed load, so only a fresh document tries it again.
          <Button type="primary" onClick={() => window.location.reload()}>
            {t('error.reload')}
          </Button>
        }
      />
    </div>
  );
}

interface Props {
  children: ReactNode;
  /** Another value (the page's address) clears the failure: the person went elsewhere. */
  resetKey?: string;
}

interface State {
  failed: boolean;
  resetKey?: string;
}

export class PageErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false, resetKey: this.props.resetKey };

  // No componentDidCatch: React logs a caught error to the console itself.
  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  // Reset by the address rather than remounting by a key: a page kept across addresses (one project to
  // another) keeps its state as before.
  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { failed: false, resetKey: props.resetKey } : null;
  }

  override render() {
    return this.state.failed ? <PageFailed /> : this.props.children;
  }
}
