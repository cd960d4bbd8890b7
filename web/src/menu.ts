// Each role's menu and start page. The API decides what each role may do; the menu only shows the work
// that is theirs.
import type { Me } from './api/client';

export interface MenuEntry {
  path: string;
  /** i18n key of the label. */
  label: string;
}

const MENUS: Record<Me['role'], MenuEntry[]> = {
  window: [
    { path: '/intake', label: 'nav.intake' },
    { path: '/corrections', label: 'desk.nav.corrections' },
    { path: '/register', label: 'nav.register' },
  ],
  reviewer: [
    { path: '/worklist', label: 'nav.worklist' },
    { path: '/done', label: 'desk.nav.done' },
    { path: '/projects', label: 'nav.projects' },
  ],
  utility: [
    { path: '/worklist', label: 'nav.worklist' },
    { path: '/done', label: 'desk.nav.done' },
    { path: '/projects', label: 'nav.projects' },
  ],
  agent: [
    { path: '/mine', label: 'nav.mine' },
    { path: '/projects', label: 'nav.projects' },
  ],
  leader: [
    { path: '/dashboard', label: 'dashboard.menu' },
    { path: '/projects', label: 'nav.projects' },
  ],
  admin: [
    // The stuck cases are what an admin looks at first each morning (README, the runbook); then the
    // daily lists, then what is kept now and then (calendar, directory), then the log.
    { path: '/admin/stuck', label: 'stuck.menu' },
    { path: '/projects', label: 'nav.projects' },
    { path: '/register', label: 'nav.register' },
    { path: '/dashboard', label: 'dashboard.menu' },
    { path: '/admin/green-channel', label: 'greenChannel.nav' },
    { path: '/admin/campaigns', label: 'campaigns.nav' },
    { path: '/admin/calendar', label: 'calendar.nav' },
    { path: '/admin/directory', label: 'directory.nav' },
    { path: '/admin/audit', label: 'audit.menu' },
  ],
};

/** Everyone has notices (通知), last in the menu. */
const INBOX: MenuEntry = { path: '/inbox', label: 'nav.inbox' };

export const menuOf = (role: Me['role']): MenuEntry[] => [...MENUS[role], INBOX];
export const homeOf = (role: Me['role']): string => (MENUS[role][0] as MenuEntry).path;
