// 联络人名录: the liaison directory that notices are addressed to (every department's and company's three
// tiers, the localities' project liaisons, the centre's posts), filterable; an admin edits a post's
// people; the history of changes; and the sign-in accounts as far as the API shows them.
import { Alert, App, Button, Card, Descriptions, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClearable, useSearchButton } from '../components/FieldButtons';
import { ApiError, api, unwrap, type DevIdentity } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PostDialog } from '../components/PostDialog';
import { LOCALITIES, PARTIES } from '../codes';
import { POST_KINDS, TIERS, byPostOrder, postInfo, postLabel, type Locality, type Party, type Person, type PostKind, type Tier } from '../directory-view';
import { dateTime } from '../format';
import { useSession } from '../session';
import { useCursorList } from '../use-cursor-list';

interface PostRow {
  post: string;
  label: string;
  kind: PostKind;
  party?: Party;
  tier?: Tier;
  locality?: Locality;
  version: number;
  people: Person[];
}

interface Version {
  version: number;
  at: string;
  by: string;
  post: string | null;
  reason: string | null;
  before?: Person[];
  after?: Person[];
}

type Filters = { text?: string; kind?: PostKind; party?: Party; tier?: Tier; locality?: Locality };

function PersonLine({ person }: { person: Person }) {
  const { t } = useTranslation();
  const kinds = (list: string[] | undefined) => (list === undefined ? t('directory.allKinds') : list.length === 0 ? t('directory.noKinds') : list.map((k) => t(`inbox.kind.${k}`)).join(t('separator.list')));
  return (
    <div>
      <Typography.Text strong>{person.name}</Typography.Text> &lt;{person.email}&gt;
      {person.phone && <> · {person.phone}</>}
      {person.principalId && (
        <>
          {' '}
          <Tag>{`${t('directory.principalId')}: ${person.principalId}`}</Tag>
        </>
      )}
      <Tag>{t(`directory.languages.${person.language}`)}</Tag>
      {person.webhook && <Tag>Webhook</Tag>}
      {person.channels && (
        <Typography.Text type="secondary">
          {t('directory.emailKinds')}: {kinds(person.channels.email)}
          {person.webhook && `${t('separator.items')}${t('directory.webhookKinds')}: ${kinds(person.channels.webhook)}`}
        </Typography.Text>
      )}
    </div>
  );
}

function PostsTab({ admin }: { admin: boolean }) {
  const { t } = useTranslation();
  const clearable = useClearable();
  const searchButton = useSearchButton();
  const { message } = App.useApp();
  const [directory, setDirectory] = useState<{ version: number; posts: Record<string, { version: number; people: Person[] }> } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filters, setFilters] = useState<Filters>({});
  const [editing, setEditing] = useState<PostRow | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setDirectory(await unwrap(api.GET('/api/directory')));
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const rows = useMemo<PostRow[]>(
    () =>
      Object.keys(directory?.posts ?? {})
        .sort(byPostOrder)
        .map((post) => ({ ...postInfo(post), label: postLabel(post, t), ...directory!.posts[post]! })),
    [directory, t],
  );
  const shown = rows.filter((r) => {
    const text = filters.text?.toLowerCase();
    const matches = !text || r.label.toLowerCase().includes(text) || r.post.includes(text) || r.people.some((p) => p.name.toLowerCase().includes(text) || p.email.toLowerCase().includes(text));
    return matches && (!filters.kind || r.kind === filters.kind) && (!filters.party || r.party === filters.party) && (!filters.tier || r.tier === filters.tier) && (!filters.locality || r.locality === filters.locality);
  });
  const select = <K extends Exclude<keyof Filters, 'text'>>(key: K, label: string, values: readonly NonNullable<Filters[K]>[], name: (v: NonNullable<Filters[K]>) => string) => (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      aria-label={label}
      placeholder={label}
      style={{ minWidth: 150 }}
      value={filters[key]}
      onChange={(v: Filters[K] | undefined) => setFilters((f) => ({ ...f, [key]: v }))}
      options={values.map((v) => ({ value: v, label: name(v) }))}
    />
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search enterButton={searchButton} allowClear={clearable} aria-label={t('directory.search')} placeholder={t('directory.search')} style={{ width: 260 }} onSearch={(text) => setFilters((f) => ({ ...f, text: text.trim() || undefined }))} />
        {select('kind', t('directory.filterKind'), POST_KINDS, (v) => t(`directory.kindOf.${v}`))}
        {select('party', t('directory.filterParty'), PARTIES, (v) => t(`party.${v}`))}
        {select('tier', t('directory.filterTier'), TIERS, (v) => t(`tier.${v}`))}
        {select('locality', t('directory.filterLocality'), LOCALITIES, (v) => t(`locality.${v}`))}
        <Button onClick={() => void load()}>{t('common.refresh')}</Button>
        {directory && <Typography.Text type="secondary">{t('directory.version', { version: directory.version })}</Typography.Text>}
      </Space>
      {error !== null && <ApiErrorAlert error={error} />}
      <Table<PostRow>
        rowKey="post"
        loading={directory === null && error === null}
        dataSource={shown}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('directory.empty')}</Typography.Text> }}
        columns={[
          { title: t('directory.post'), dataIndex: 'label', width: 260 },
          { title: t('directory.kind'), dataIndex: 'kind', width: 100, render: (v: PostKind) => t(`directory.kindOf.${v}`) },
          { title: t('directory.people'), key: 'people', render: (_, r) => r.people.map((p, i) => <PersonLine key={i} person={p} />) },
          { title: t('directory.postVersion'), dataIndex: 'version', width: 80 },
          ...(admin
            ? [
                {
                  title: t('directory.actions'),
                  key: 'actions',
                  width: 100,
                  render: (_: unknown, r: PostRow) => (
                    <Button size="small" onClick={() => setEditing(r)} aria-label={`${t('directory.edit')} ${r.label}`}>
                      {t('directory.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <PostDialog
          post={editing.post}
          people={editing.people}
          onClose={() => setEditing(null)}
          onSaved={(version) => {
            void message.success(t('directory.saved', { post: editing.label, version }));
            setEditing(null);
            void load();
          }}
        />
      )}
    </Space>
  );
}

function HistoryTab() {
  const { t } = useTranslation();
  // Only the latest request's answer is shown (use-cursor-list.ts).
  const fetchPage = useCallback((cursor: string | undefined) => unwrap(api.GET('/api/directory/history', { params: { query: { limit: 20, ...(cursor && { cursor }) } } })), []);
  const { page, error, reload: load, pageNumber, first, next } = useCursorList(fetchPage);
  const names = (people: Person[] | undefined) => (people ? people.map((p) => `${p.name} <${p.email}>`).join(t('separator.items')) : '—');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Button onClick={() => void load()}>{t('common.refresh')}</Button>
      {error !== null && <ApiErrorAlert error={error} />}
      <Table<Version>
        rowKey="version"
        loading={page === null && error === null}
        dataSource={page?.versions ?? []}
        pagination={false}
        columns={[
          { title: t('directory.postVersion'), dataIndex: 'version', width: 80 },
          { className: 'nowrap', title: t('directory.at'), dataIndex: 'at', width: 150, render: (v: string) => dateTime(v) },
          { title: t('directory.by'), dataIndex: 'by', width: 110 },
          { title: t('directory.post'), dataIndex: 'post', width: 220, render: (v: string | null) => (v ? postLabel(v, t) : t('directory.seed')) },
          { title: t('directory.reason'), dataIndex: 'reason', width: 200, render: (v: string | null) => v ?? '—' },
          { title: t('directory.before'), dataIndex: 'before', render: names },
          { title: t('directory.after'), dataIndex: 'after', render: names },
        ]}
      />
      <Space>
        <Button disabled={pageNumber === 1} onClick={first}>
          {t('common.first')}
        </Button>
        <Button disabled={!page?.nextCursor} onClick={next}>
          {t('common.next')}
        </Button>
      </Space>
    </Space>
  );
}

/** The accounts that may sign in: a development service lists them (without their tokens here); otherwise
 *  only the signed-in one is known to the console. Each with the directory posts that name it. */
function PrincipalsTab() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [identities, setIdentities] = useState<Omit<DevIdentity, 'token'>[] | null | undefined>(undefined);
  const [posts, setPosts] = useState<Record<string, { people: Person[] }>>({});
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    unwrap(api.GET('/dev/principals'))
      .then(({ identities: list }) => setIdentities(list.map(({ token: _token, ...rest }) => rest)))
      .catch((err: unknown) => (err instanceof ApiError && err.status === 404 ? setIdentities(null) : setError(err)));
    unwrap(api.GET('/api/directory'))
      .then((d) => setPosts(d.posts))
      .catch((err: unknown) => setError(err));
  }, []);
  const postsOf = (id: string) =>
    Object.entries(posts)
      .filter(([, p]) => p.people.some((person) => person.principalId === id))
      .map(([post]) => post)
      .sort(byPostOrder);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Alert type="info" showIcon role="note" title={t('directory.principalsNote')} />
      {error !== null && <ApiErrorAlert error={error} />}
      {me && (
        <Descriptions bordered size="small" title={t('directory.me')} column={{ xs: 1, md: 4 }}>
          <Descriptions.Item label={t('directory.principalId')}>{me.id}</Descriptions.Item>
          <Descriptions.Item label={t('directory.accountName')}>{me.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('directory.role')}>{t(`role.${me.role}`)}</Descriptions.Item>
          <Descriptions.Item label={t('directory.party')}>{me.party ? t(`party.${me.party}`) : '—'}</Descriptions.Item>
        </Descriptions>
      )}
      {identities === null && <Alert type="warning" showIcon role="status" title={t('directory.principalsProduction')} />}
      {identities !== null && (
        <Table
          rowKey="id"
          loading={identities === undefined}
          dataSource={identities ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('directory.principalId'), dataIndex: 'id' },
            { title: t('directory.accountName'), dataIndex: 'name', render: (v?: string) => v ?? '—' },
            { title: t('directory.role'), dataIndex: 'role', render: (v: string) => t(`role.${v}`) },
            { title: t('directory.party'), dataIndex: 'party', render: (v?: string) => (v ? t(`party.${v}`) : '—') },
            { title: t('directory.posts'), key: 'posts', render: (_, r) => postsOf(r.id).map((p) => postLabel(p, t)).join(t('separator.list')) || '—' },
          ]}
        />
      )}
    </Space>
  );
}

export function DirectoryPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const admin = me?.role === 'admin';
  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0 }}>{t('directory.title')}</Typography.Title>}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'posts', label: t('directory.tabPosts'), children: <PostsTab admin={admin} /> },
          ...(admin
            ? [
                { key: 'history', label: t('directory.tabHistory'), children: <HistoryTab /> },
                { key: 'principals', label: t('directory.tabPrincipals'), children: <PrincipalsTab /> },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
