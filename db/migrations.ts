// Versioned schema changes, applied in order at start-up by every process (Kysely's migrator takes a lock,
// so concurrent starts are safe). Never edit a released migration; add the next one.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { signOffWorkingDays, type ProjectState } from '../domain/project';
import { loadCalendar } from './calendar';
import type { Db } from './connect';
import { listFacts } from './list-filters';

const migrations: Record<string, Migration> = {
  '0001_public_record': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('projects')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applicant_name', 'text', (c) => c.notNull())
        .addColumn('applicant_uscc', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('locality', 'text', (c) => c.notNull())
        .addColumn('major', 'boolean', (c) => c.notNull())
        .addColumn('agent', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('overall_status', 'text', (c) => c.notNull())
        .addColumn('current_stage', 'text')
        // Where the project is, or where it was when it closed: what lists filter on.
        .addColumn('listed_stage', 'text', (c) => c.notNull())
        .addColumn('registered_by', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
        .addColumn('closed_at', 'timestamptz')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('state', 'jsonb', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('projects_by_locality').on('projects').columns(['locality', 'registered_at']).execute();
      await db.schema.createIndex('projects_by_agent').on('projects').column('agent').execute();

      await db.schema
        .createTable('stage_attempts')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'timestamptz')
        .addColumn('limit_days', 'integer')
        .addColumn('paused_working_days', 'integer', (c) => c.notNull())
        .addColumn('working_days_used', 'integer', (c) => c.notNull())
        .addColumn('deadline', 'date')
        .addPrimaryKeyConstraint('stage_attempts_pk', ['project_id', 'stage', 'attempt'])
        .execute();
      await db.schema.createIndex('stage_attempts_by_decision').on('stage_attempts').columns(['stage', 'decided_at']).execute();

      await db.schema
        .createTable('sign_offs')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('by_id', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('sign_offs_pk', ['project_id', 'stage', 'attempt', 'party'])
        .execute();

      await db.schema
        .createTable('corrections')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('items', 'jsonb', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
        .addColumn('supplemented_by', 'text')
        .addColumn('supplemented_at', 'timestamptz')
        .addPrimaryKeyConstraint('corrections_pk', ['project_id', 'stage', 'attempt', 'party'])
        .execute();

      await db.schema
        .createTable('progress_reports')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('cadence', 'text', (c) => c.notNull())
        .addColumn('body', 'jsonb', (c) => c.notNull())
        .addPrimaryKeyConstraint('progress_reports_pk', ['project_id', 'seq'])
        .execute();

      await db.schema
        .createTable('escalations')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('tier', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('pending_days', 'real', (c) => c.notNull())
        .addColumn('notified', 'jsonb', (c) => c.notNull())
        .addPrimaryKeyConstraint('escalations_pk', ['project_id', 'stage', 'attempt', 'party', 'tier'])
        .execute();

      await db.schema
        .createTable('utility_pushes')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('company', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'timestamptz', (c) => c.notNull())
        .addColumn('settled_at', 'timestamptz')
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('utility_pushes_pk', ['project_id', 'company'])
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('principal_id', 'text')
        .addColumn('principal_role', 'text')
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('project_id', 'uuid')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_log_by_project').on('audit_log').columns(['project_id', 'id']).execute();
      // Append-only: the log refuses changes to what it holds.
      await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
        begin raise exception 'audit_log is append-only'; end $$`.execute(db);
      await sql`create trigger audit_log_append_only before update or delete on audit_log
        for each row execute function audit_log_append_only()`.execute(db);

      await db.schema
        .createTable('calendar_years')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('holidays', 'jsonb', (c) => c.notNull())
        .addColumn('workdays', 'jsonb', (c) => c.notNull())
        .addColumn('loaded_by', 'text', (c) => c.notNull())
        .addColumn('loaded_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },

  // The audit log made trustworthy: no TRUNCATE, a role for the service that may only append to it, and a
  // hash chain that shows any later change of a row (see db/audit.ts for how it is verified).
  '0002_audit_integrity': {
    async up(db: Kysely<unknown>) {
      // The row trigger cannot see TRUNCATE; a statement-level one refuses it, even for the owner.
      await sql`create trigger audit_log_no_truncate before truncate on audit_log
        for each statement execute function audit_log_append_only()`.execute(db);

      // The chain: seq orders it; hash = sha256(prev_hash || '\n' || the row's canonical text). The canonical
      // text lists seq, at (UTC, milliseconds), principal_id, principal_role, method, path, project_id,
      // outcome, status, detail, each as '-' when null or as <UTF-8 byte length>:<text>, so no two rows
      // share a text. The first row's prev_hash is 64 zeros.
      await sql`create function audit_log_hash(text, bigint, timestamptz, text, text, text, text, uuid, text, integer, text)
        returns text language sql stable set search_path = pg_catalog as $$
          select encode(sha256(convert_to($1 || E'\n' || string_agg(
                   case when v is null then '-' else octet_length(convert_to(v, 'UTF8'))::text || ':' || v end, '' order by i), 'UTF8')), 'hex')
            from unnest(array[$2::text, to_char($3 at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), $4, $5, $6, $7, $8::text, $9, $10::text, $11])
                 with ordinality as f(v, i) $$`.execute(db);
      await sql`alter table audit_log add column seq bigint, add column prev_hash text, add column hash text`.execute(db);
      // Rows written before this migration start the chain, in the order of their ids: from now on a change
      // to any of them shows, but what they held before this migration is taken as it was found.
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
      await sql`do $$
        declare r record; prev text := repeat('0', 64); n bigint := 0; h text;
        begin
          for r in select * from audit_log order by id loop
            n := n + 1;
            h := audit_log_hash(prev, n, date_trunc('milliseconds', r.at), r.principal_id, r.principal_role, r.method, r.path,
                                r.project_id, r.outcome, r.status, r.detail);
            update audit_log set seq = n, at = date_trunc('milliseconds', r.at), prev_hash = prev, hash = h where id = r.id;
            prev := h;
          end loop;
        end $$`.execute(db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(db);
      await sql`alter table audit_log alter column seq set not null, alter column prev_hash set not null, alter column hash set not null`.execute(db);
      await sql`create unique index audit_log_by_seq on audit_log (seq)`.execute(db);
      // Each insert links to the last row. The advisory lock, held until the inserting transaction ends,
      // makes concurrent inserts take turns; the unique index turns any fork into an error instead.
      // The table is read through TG_TABLE_SCHEMA so that a temporary table of the same name cannot stand in.
      await sql`create function audit_log_chain() returns trigger language plpgsql set search_path from current as $$
        declare last_seq bigint; last_hash text;
        begin
          perform pg_advisory_xact_lock(hashtextextended('one-window audit_log chain', 0));
          execute format('select seq, hash from %I.%I order by seq desc limit 1', tg_table_schema, tg_table_name) into last_seq, last_hash;
          new.at := date_trunc('milliseconds', new.at);
          new.seq := coalesce(last_seq, 0) + 1;
          new.prev_hash := coalesce(last_hash, repeat('0', 64));
          new.hash := audit_log_hash(new.prev_hash, new.seq, new.at, new.principal_id, new.principal_role, new.method, new.path,
                                     new.project_id, new.outcome, new.status, new.detail);
          return new;
        end $$`.execute(db);
      await sql`create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain()`.execute(db);

      // The service's role. Roles belong to the whole server, so it may exist already (another database,
      // or a concurrent migration elsewhere).
      await sql`do $$ begin
          if not exists (select from pg_roles where rolname = 'one_window_app') then
            begin
              create role one_window_app nologin;
            exception when duplicate_object or unique_violation then null;
            end;
          end if;
        end $$`.execute(db);
      await sql`grant select, insert, update, delete on projects, stage_attempts, sign_offs, corrections, progress_reports,
        escalations, utility_pushes, calendar_years to one_window_app`.execute(db);
      await sql`grant select, insert on audit_log to one_window_app`.execute(db);
      await sql`grant usage, select on sequence audit_log_id_seq to one_window_app`.execute(db);
      // Reading which migrations ran lets a process started as the service check that none is pending.
      await sql`grant select on kysely_migration, kysely_migration_lock to one_window_app`.execute(db);
      // When one login both migrates and serves, it must be able to SET ROLE; a login without the right to
      // grant it is told, and an administrator grants it (GRANT one_window_app TO <login>).
      await sql`do $$ begin
          if not pg_has_role(current_user, 'one_window_app', 'member') then
            begin
              execute format('grant one_window_app to %I', current_user);
            exception when insufficient_privilege then
              raise notice '% may not grant one_window_app to itself; an administrator must', current_user;
            end;
          end if;
        end $$`.execute(db);
    },
  },

  // Worklist filters (light, pending party) decided in SQL, so that they hold with pagination: the
  // facts they need beside each project, written by writeProjectRecord. Projects recorded before are
  // filled in here from their snapshots, with the same derivations the writer uses.
  '0003_list_filters': {
    async up(db: Kysely<unknown>) {
      await sql`alter table projects
        add column pending_parties jsonb not null default '[]',
        add column clock_accepted_on date,
        add column clock_limit_days integer,
        add column clock_ends_on date,
        add column clock_pauses jsonb,
        add column clock_paused_since date`.execute(db);
      await sql`create index projects_by_pending_party on projects using gin (pending_parties jsonb_path_ops)`.execute(db);
      // Closed projects show no clock and wait for nobody: the defaults are theirs already.
      for (let after = ''; ; ) {
        const { rows } = await sql<{ id: string; state: ProjectState }>`select id, state from projects
          where status = 'active' and id::text > ${after} order by id::text limit 200`.execute(db);
        for (const { id, state } of rows) {
          const facts = listFacts(state);
          await sql`update projects set pending_parties = ${facts.pending_parties}::jsonb, clock_accepted_on = ${facts.clock_accepted_on},
            clock_limit_days = ${facts.clock_limit_days}, clock_ends_on = ${facts.clock_ends_on}, clock_pauses = ${facts.clock_pauses}::jsonb,
            clock_paused_since = ${facts.clock_paused_since} where id = ${id}`.execute(db);
        }
        const last = rows[rows.length - 1];
        if (!last) break;
        after = last.id;
      }
    },
  },

  // Operations: a record write the database refused for good (durable, so the stuck list sees it after the
  // worker restarts; cleared by the project's next successful write), and the notes operators' repairs
  // leave on a project (reconciliations), outside the project's own append-only trail.
  '0004_operations': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('record_failures')
        .addColumn('project_id', 'uuid', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('project_notes')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('project_id', 'uuid', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('by_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('project_notes_by_project').on('project_notes').columns(['project_id', 'id']).execute();
      await sql`grant select, insert, update, delete on record_failures, project_notes to one_window_app`.execute(db);
      await sql`grant usage, select on sequence project_notes_id_seq to one_window_app`.execute(db);
    },
  },

  '0005_directory': {
    async up(db: Kysely<unknown>) {
      // The liaison directory (db/directory.ts): every change is a new version (who, when, why, what), and
      // the people a post holds from that version on; directory_posts points at each post's latest set, so
      // the current directory is one join. History rows are never updated.
      await db.schema
        .createTable('directory_versions')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('by_id', 'text', (c) => c.notNull())
        // null: the seed, which set every post.
        .addColumn('post', 'text')
        .addColumn('reason', 'text')
        .addColumn('change', 'jsonb')
        .execute();
      await db.schema
        .createTable('directory_people')
        .addColumn('post', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().references('directory_versions.version'))
        .addColumn('position', 'smallint', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('principal_id', 'text')
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('phone', 'text')
        .addColumn('webhook', 'text')
        .addColumn('language', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('directory_people_pk', ['post', 'version', 'position'])
        .execute();
      await db.schema
        .createTable('directory_posts')
        .addColumn('post', 'text', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull().references('directory_versions.version'))
        .execute();
      await sql`grant select, insert on directory_versions, directory_people to one_window_app`.execute(db);
      await sql`grant select, insert, update on directory_posts to one_window_app`.execute(db);
    },
  },

  // Notices as durable rows (written idempotently by the activities that send them, by their key), and
  // what each person did with one: read, acknowledged (an inbox per person).
  '0006_notices': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('notices')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('project_id', 'uuid')
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notices_by_address').on('notices').columns(['address', 'id']).execute();
      await db.schema
        .createTable('notice_reads')
        .addColumn('notice_id', 'bigint', (c) => c.notNull().references('notices.id'))
        .addColumn('principal_id', 'text', (c) => c.notNull())
        .addColumn('read_at', 'timestamptz', (c) => c.notNull())
        .addColumn('acknowledged_at', 'timestamptz')
        .addPrimaryKeyConstraint('notice_reads_pk', ['notice_id', 'principal_id'])
        .execute();
      await sql`grant select, insert, update on notices, notice_reads to one_window_app`.execute(db);
      await sql`grant usage, select on sequence notices_id_seq to one_window_app`.execute(db);
    },
  },

  // What a notice says, as facts to be put into each reader's language (domain/notice-texts.ts); which
  // notices each person of the directory wants by e-mail and by webhook (null: every kind); and to whom
  // each notice was delivered, by which channel, when.
  '0007_notice_content': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('notices').addColumn('content', 'jsonb').execute();
      await db.schema.alterTable('directory_people').addColumn('channels', 'jsonb').execute();
      await db.schema
        .createTable('notice_deliveries')
        .addColumn('notice_id', 'bigint', (c) => c.notNull().references('notices.id'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('notice_deliveries_pk', ['notice_id', 'channel', 'recipient'])
        .execute();
      await sql`grant select, insert on notice_deliveries to one_window_app`.execute(db);
    },
  },

  // Each sign-off's working days, counted when it is recorded: the statistics per party read them rather
  // than work them out in SQL for every sign-off at every read (seconds at 100,000 attempts). Sign-offs
  // recorded before are counted here from their projects' snapshots, with the calendar loaded now.
  '0008_sign_off_days': {
    async up(db: Kysely<unknown>) {
      await sql`alter table sign_offs add column working_days integer`.execute(db);
      await countSignOffDays(db as unknown as Db);
    },
  },

  // Fee waivers (费用减免, domain/waivers.ts): the catalogue's items a project was granted at registration,
  // and what its collecting department assessed. Written by the API before the project's workflow starts,
  // so there is no foreign key to projects (its row comes later, from the worker); reads join it. Money
  // is in fen (bigint), never a float.
  '0009_fee_waivers': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('project_waivers')
        .addColumn('project_id', 'uuid', (c) => c.notNull())
        .addColumn('item', 'text', (c) => c.notNull())
        .addColumn('department', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('locality', 'text', (c) => c.notNull())
        .addColumn('granted_by', 'text', (c) => c.notNull())
        .addColumn('granted_at', 'timestamptz', (c) => c.notNull())
        .addColumn('assessed_fen', 'bigint')
        .addColumn('rate', 'double precision')
        .addColumn('waived_fen', 'bigint')
        .addColumn('assessed_by', 'text')
        .addColumn('assessed_at', 'timestamptz')
        .addColumn('note', 'text')
        .addPrimaryKeyConstraint('project_waivers_pk', ['project_id', 'item'])
        .execute();
      await db.schema.createIndex('project_waivers_by_grant').on('project_waivers').column('granted_at').execute();
      await sql`grant select, insert, update on project_waivers to one_window_app`.execute(db);
    },
  },

  // 集中开工 campaigns and their projects (api/campaigns.ts), with who declared and changed them. `synced`
  // says whether the member's workflow has been told the campaign as it now stands (or its removal):
  // the API tells it after each change and again on start-up until it has.
  '0010_campaigns': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('start_date', 'text', (c) => c.notNull())
        .addColumn('declared_by', 'text', (c) => c.notNull())
        .addColumn('declared_at', 'timestamptz', (c) => c.notNull())
        .addColumn('changed_by', 'text', (c) => c.notNull())
        .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('campaign_projects')
        .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
        .addColumn('project_id', 'uuid', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addColumn('added_at', 'timestamptz', (c) => c.notNull())
        .addColumn('removed_by', 'text')
        .addColumn('removed_at', 'timestamptz')
        .addColumn('synced', 'boolean', (c) => c.notNull().defaultTo(false))
        // Raised by every change that must reach the workflow: a delivery marks only the revision it sent.
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('delivery_error', 'text')
        .addPrimaryKeyConstraint('campaign_projects_pk', ['campaign_id', 'project_id'])
        .execute();
      await db.schema.createIndex('campaign_projects_unsynced').on('campaign_projects').column('synced').execute();
      await sql`grant select, insert, update on campaigns, campaign_projects to one_window_app`.execute(db);
    },
  },
  '0011_open_attempts_by_acceptance': {
    // The statistics find each group's earliest open attempt by its stage and acceptance (api/stats.ts).
    async up(db) {
      await sql`create index stage_attempts_open_by_acceptance on stage_attempts (stage, submitted_at) where outcome = 'open'`.execute(db);
    },
  },
  // The statistics' open part without reading every open project (api/stats.ts): beside each project when
  // its current stage's attempt opened (null: none open), and counts kept as the rows change — open
  // attempts per stage, and attempts waiting per party, by locality and category.
  '0012_open_tallies': {
    async up(db) {
      await sql`alter table projects add column open_since timestamptz`.execute(db);
      // As the statistics found them until now, and as the writer derives it from the snapshot.
      await sql`update projects set open_since = a.submitted_at from stage_attempts as a
        where a.project_id = projects.id and a.stage = projects.current_stage and a.outcome = 'open'`.execute(db);
      // Each group's oldest is the first entry of its range; the red ones are among those whose limit has
      // passed in calendar days (a clock cannot use more working days than days have passed).
      await sql`create index projects_open_by_acceptance on projects (current_stage, locality, category, open_since, id)
        where status = 'active' and open_since is not null`.execute(db);
      await sql`create index projects_open_by_limit on projects ((clock_accepted_on + clock_limit_days))
        where status = 'active' and open_since is not null`.execute(db);

      await sql`create table project_tallies (
        kind text not null check (kind in ('stage', 'party')),
        key text not null,
        locality text not null,
        category text not null,
        n bigint not null,
        primary key (kind, key, locality, category))`.execute(db);
      // What one project row counts for: its open stage, and each party its open attempt waits for.
      await sql`create function project_tally_keys(p projects) returns table (kind text, key text, locality text, category text)
        language sql immutable set search_path = public, pg_catalog as $$
          select 'stage', p.current_stage, p.locality, p.category where p.status = 'active' and p.open_since is not null
          union all
          select 'party', w.party, p.locality, p.category
          from jsonb_array_elements_text(p.pending_parties) as w(party) where p.status = 'active' $$`.execute(db);
      // The difference between a row's old and new counts, added in key order (so that two writers never
      // wait for each other's rows the other way round). Deferred to the commit, so a tally row is locked
      // only while its transaction commits; run as the owner, so the service may read the tallies but not
      // write them.
      await sql`create function project_tallies_apply() returns trigger language plpgsql security definer
        set search_path = public, pg_catalog as $$
        begin
          insert into project_tallies as t (kind, key, locality, category, n)
          select kind, key, locality, category, sum(d) from (
            select k.*, -1 as d from project_tally_keys(old) as k where tg_op <> 'INSERT'
            union all
            select k.*, 1 from project_tally_keys(new) as k where tg_op <> 'DELETE') as delta
          group by kind, key, locality, category
          having sum(d) <> 0
          order by kind, key, locality, category
          on conflict (kind, key, locality, category) do update set n = t.n + excluded.n;
          return null;
        end $$`.execute(db);
      await sql`insert into project_tallies (kind, key, locality, category, n)
        select k.kind, k.key, k.locality, k.category, count(*) from projects cross join lateral project_tally_keys(projects) as k
        group by k.kind, k.key, k.locality, k.category`.execute(db);
      await sql`create constraint trigger project_tallies after insert or update or delete on projects
        deferrable initially deferred for each row execute function project_tallies_apply()`.execute(db);
      await sql`grant select on project_tallies to one_window_app`.execute(db);
    },
  },
};

/** Counts the working days of every sign-off recorded without them, from its project's snapshot, as the
 *  writer counts them (migration 0008). */
export async function countSignOffDays(db: Db): Promise<void> {
  const calendar = await loadCalendar(db);
  for (let after = ''; ; ) {
    const { rows } = await sql<{ id: string; state: ProjectState }>`select id, state from projects
      where id::text > ${after} order by id::text limit 200`.execute(db);
    for (const { id, state } of rows) {
      for (const { stage, attempts } of state.stages) {
        for (const attempt of attempts) {
          for (const s of attempt.signOffs) {
            await sql`update sign_offs set working_days = ${signOffWorkingDays(attempt, s.at, calendar)}
              where project_id = ${id} and stage = ${stage} and attempt = ${attempt.number} and party = ${s.party} and working_days is null`.execute(db);
          }
        }
      }
    }
    const last = rows[rows.length - 1];
    if (!last) break;
    after = last.id;
  }
}

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
