// An API error as a person reads it: what happened in their language, then the server's own reason
// (and each failing field of a 400), never a blank page.
import { Alert } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { refusalText } from '../refusal';

export function errorTitle(err: unknown, t: TFunction): string {
  if (!(err instanceof ApiError)) return t('error.title');
  if (err.status === 0) return t('error.network');
  const key = `error.${err.status}`;
  return t(key, { defaultValue: t(err.status >= 500 ? 'error.500' : 'error.title') });
}

export function errorReason(err: unknown, t: TFunction): string {
  // A workflow's refusal in the reader's words when the console knows its code; the server's otherwise.
  const message = (err instanceof ApiError && refusalText(err.refusal, t)) || (err instanceof Error ? err.message : String(err));
  const fields = err instanceof ApiError && err.issues.length > 0 ? ` (${err.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})` : '';
  return t('error.reason', { message: message + fields });
}

export function ApiErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return <Alert type="error" showIcon role="alert" title={errorTitle(error, t)} description={errorReason(error, t)} />;
}
