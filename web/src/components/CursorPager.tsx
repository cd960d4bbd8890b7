// Under a worklist read a page at a time (待办, 我的项目): how many rows there are when they fit on one
// page, else which rows the page shows and whether more follow, with 第一页 / 上一页 / 下一页.
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CursorList } from '../use-cursor-list';

export function CursorPager<P extends { nextCursor?: string }>({ list, shown, pageSize }: { list: CursorList<P>; shown: number; pageSize: number }) {
  const { t } = useTranslation();
  const { page, pageNumber, first, previous, next } = list;
  if (page === null) return null;
  const more = page.nextCursor !== undefined;
  // Every page before this one was full: the server cuts pages of pageSize.
  const from = (pageNumber - 1) * pageSize + 1;
  const to = from + shown - 1;
  const rest = t(more ? 'common.pagedMore' : 'common.pagedLast');
  const summary = pageNumber === 1 && !more ? t('common.pagedAll', { count: shown }) : shown === 0 ? rest : `${t('common.pagedRange', { page: pageNumber, from, to })} · ${rest}`;
  return (
    <Space wrap>
      <Typography.Text type="secondary" role="status">
        {summary}
      </Typography.Text>
      {(pageNumber > 1 || more) && (
        <Space>
          <Button disabled={pageNumber === 1} onClick={first}>
            {t('common.first')}
          </Button>
          <Button disabled={pageNumber === 1} onClick={previous}>
            {t('common.previous')}
          </Button>
          <Button disabled={!more} onClick={next}>
            {t('common.next')}
          </Button>
        </Space>
      )}
    </Space>
  );
}
