// The public record's tables, as Kysely sees them. Created by db/migrations.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ProjectsTable {
  id: string;
  name: string;
  applicant_name: string;
  applicant_uscc: string;
  category: string;
  locality: string;
  major: boolean;
  agent: string | null;
  status: string;
  overall_status: string;
  current_stage: string | null;
  listed_stage: string;
  registered_by: string;
  registered_at: Timestamp;
  closed_at: Timestamp | null;
  /** How many changes the snapshot includes; a write never replaces a newer snapshot. */
  version: number;
  state: JSONColumnType<Record<string, unknown>>;
  updated_at: Timestamp;
  /** What the list filters read (migration 0003, db/list-filters.ts): who the open attempt waits for,
   *  and the calendar-free basis of the clock the list shows (null: none shown). */
  pending_parties: JSONColumnType<string[]>;
  clock_accepted_on: string | null;
  clock_limit_days: number | null;
  clock_ends_on: string | null;
  clock_pauses: JSONColumnType<[string, string][]> | null;
  clock_paused_since: string | null;
  /** When the current stage's attempt was applied for, while it is open (migration 0012). */
  open_since: Timestamp | null;
}

/** Counts kept by a trigger as projects change (migration 0012): per stage, active projects with an open
 *  attempt; per party, open attempts waiting for it; by locality and category. The service reads them. */
export interface ProjectTalliesTable {
  kind: 'stage' | 'party';
  key: string;
  locality: string;
  category: string;
  n: ColumnType<string | number, never, never>;
}

export interface StageAttemptsTable {
  project_id: string;
  stage: string;
  attempt: number;
  submitted_by: string;
  submitted_at: Timestamp;
  outcome: string;
  decided_at: Timestamp | null;
  limit_days: number | null;
  paused_working_days: number;
  working_days_used: number;
  deadline: string | null;
}

export interface SignOffsTable {
  project_id: string;
  stage: string;
  attempt: number;
  party: string;
  decision: string;
  comment: string | null;
  by_id: string;
  at: Timestamp;
  /** Working days from the attempt's acceptance to the sign-off, correction pauses excluded (null only
   *  for a row whose project's snapshot does not hold it, which the writer never leaves). */
  working_days: number | null;
}

export interface CorrectionsTable {
  project_id: string;
  stage: string;
  attempt: number;
  party: string;
  items: JSONColumnType<string[]>;
  requested_by: string;
  requested_at: Timestamp;
  supplemented_by: string | null;
  supplemented_at: Timestamp | null;
}

export interface ProgressReportsTable {
  project_id: string;
  seq: number;
  at: Timestamp;
  recipient: string;
  cadence: string;
  body: JSONColumnType<Record<string, unknown>>;
}

export interface EscalationsTable {
  project_id: string;
  stage: string;
  attempt: number;
  party: string;
  tier: string;
  at: Timestamp;
  pending_days: number;
  notified: JSONColumnType<string[]>;
}

export interface UtilityPushesTable {
  project_id: string;
  company: string;
  idempotency_key: string;
  status: string;
  started_at: Timestamp;
  settled_at: Timestamp | null;
  error: string | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  /** The hash chain (migration 0002): set by the insert trigger, whatever the insert says. */
  seq: Generated<string>;
  prev_hash: Generated<string>;
  hash: Generated<string>;
  at: Timestamp;
  principal_id: string | null;
  principal_role: string | null;
  method: string;
  path: string;
  project_id: string | null;
  outcome: string;
  status: number;
  detail: string | null;
}

export interface CalendarYearsTable {
  year: number;
  holidays: JSONColumnType<string[]>;
  workdays: JSONColumnType<string[]>;
  loaded_by: string;
  loaded_at: Timestamp;
}

/** A record write the database refused for good: the project's latest, until a later write succeeds. */
export interface RecordFailuresTable {
  project_id: string;
  version: number;
  message: string;
  at: Timestamp;
}

/** What operators did to a project outside its workflow (a reconciliation), with who and why. */
export interface ProjectNotesTable {
  id: Generated<string>;
  project_id: string;
  at: Timestamp;
  by_id: string;
  kind: string;
  note: string;
}

export interface NoticesTable {
  id: Generated<string>;
  key: string;
  at: Timestamp;
  kind: string;
  project_id: string | null;
  /** Whom it is for, as the workflow addresses it: window, party:planning, agent:agent-01, principal:…, role:leader. */
  address: string;
  subject: string;
  /** The message, project and time limit its words are made from (domain/notice-texts.ts); null on
   *  notices from before (their subject is all there is). */
  content: JSONColumnType<Record<string, unknown>> | null;
}

/** A notice sent to one person by one channel (activities/channel-delivery.ts), once. */
export interface NoticeDeliveriesTable {
  notice_id: string;
  channel: string;
  /** `name <email>` for e-mail; the person's name for a webhook. */
  recipient: string;
  at: Timestamp;
}

export interface NoticeReadsTable {
  notice_id: string;
  principal_id: string;
  read_at: Timestamp;
  acknowledged_at: Timestamp | null;
}

/** The liaison directory (migration 0005, db/directory.ts). */
export interface DirectoryVersionsTable {
  version: number;
  at: Timestamp;
  by_id: string;
  post: string | null;
  reason: string | null;
  change: JSONColumnType<Record<string, unknown>> | null;
}

export interface DirectoryPeopleTable {
  post: string;
  version: number;
  position: number;
  name: string;
  principal_id: string | null;
  email: string;
  phone: string | null;
  webhook: string | null;
  language: string;
  /** The notice kinds they want by e-mail and by webhook ({ email?: kinds, webhook?: kinds }); null: all. */
  channels: JSONColumnType<Record<string, unknown>> | null;
}

export interface DirectoryPostsTable {
  post: string;
  version: number;
}

export interface ProjectWaiversTable {
  project_id: string;
  item: string;
  department: string;
  kind: string;
  category: string;
  locality: string;
  granted_by: string;
  granted_at: Timestamp;
  /** bigint: read back as text over pg; db/waivers.ts turns it into a number. */
  assessed_fen: ColumnType<string | null, number | null, number | null>;
  rate: number | null;
  waived_fen: ColumnType<string | null, number | null, number | null>;
  assessed_by: string | null;
  assessed_at: Timestamp | null;
  note: string | null;
}

export interface CampaignsTable {
  id: string;
  name: string;
  /** YYYY-MM-DD in Shanghai. */
  start_date: string;
  declared_by: string;
  declared_at: Timestamp;
  changed_by: string;
  changed_at: Timestamp;
}

export interface CampaignProjectsTable {
  campaign_id: string;
  project_id: string;
  source: string;
  added_by: string;
  added_at: Timestamp;
  removed_by: string | null;
  removed_at: Timestamp | null;
  synced: Generated<boolean>;
  revision: Generated<number>;
  delivery_error: string | null;
}

export interface Database {
  projects: ProjectsTable;
  project_tallies: ProjectTalliesTable;
  stage_attempts: StageAttemptsTable;
  sign_offs: SignOffsTable;
  corrections: CorrectionsTable;
  progress_reports: ProgressReportsTable;
  escalations: EscalationsTable;
  utility_pushes: UtilityPushesTable;
  audit_log: AuditLogTable;
  calendar_years: CalendarYearsTable;
  record_failures: RecordFailuresTable;
  project_notes: ProjectNotesTable;
  notices: NoticesTable;
  notice_reads: NoticeReadsTable;
  notice_deliveries: NoticeDeliveriesTable;
  directory_versions: DirectoryVersionsTable;
  directory_people: DirectoryPeopleTable;
  directory_posts: DirectoryPostsTable;
  project_waivers: ProjectWaiversTable;
  campaigns: CampaignsTable;
  campaign_projects: CampaignProjectsTable;
}
