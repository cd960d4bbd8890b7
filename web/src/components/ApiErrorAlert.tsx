// An API error as a person reads it: what happened in their language, then the reason (for an invalid
// request, the fields to check, with the server's own words smaller beneath), never a blank page.
import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorLines, errorTitle } from '../error-text';

export function ApiErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { main, server } = errorLines(error, t);
  const description = (
    <>
      {main && <div>{main}</div>}
      {server && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {server}
        </Typography.Text>
      )}
    </>
  );
  return <Alert type="error" showIcon role="alert" title={errorTitle(error, t)} description={description} />;
}
