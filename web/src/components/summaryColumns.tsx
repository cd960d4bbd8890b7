// The columns every list of projects shares (待办, 我的项目, 补正待补): the name linking to the project,
// its stage, status and locality, the light, and the time limit as words — one set, so the lists read alike.
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import { Link } from 'react-router';
import type { ProjectSummary } from '../api/client';
import { ClockText, Light } from './Light';

export function summaryColumns(t: TFunction): TableColumnsType<ProjectSummary> {
  return [
    // The other columns keep to one line; the name, which may wrap, keeps room enough to read.
    { title: t('list.name'), dataIndex: 'name', minWidth: 200, render: (name: string, p) => <Link to={`/projects/${p.id}`}>{name}</Link> },
    { className: 'nowrap', title: t('list.stage'), dataIndex: 'stage', render: (v: ProjectSummary['stage']) => t(`stage.${v}`) },
    { className: 'nowrap', title: t('list.status'), dataIndex: 'status', render: (v: ProjectSummary['status']) => t(`stageStatus.${v}`) },
    { className: 'nowrap', title: t('list.locality'), dataIndex: 'locality', render: (v: ProjectSummary['locality']) => t(`locality.${v}`) },
    { title: t('clockLabel.light'), key: 'light', render: (_, p) => <Light clock={p.clock} /> },
  ];
}

/** 审批时限 in words: used / limit working days, paused days, deadline. */
export function timeLimitColumn(t: TFunction): TableColumnsType<ProjectSummary>[number] {
  return { title: t('mine.timeLimit'), key: 'clock', render: (_, p) => <ClockText clock={p.clock} /> };
}
